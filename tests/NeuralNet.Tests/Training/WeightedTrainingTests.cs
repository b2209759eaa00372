using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Sample and class weights: the weighted loss <c>1/B Σ w_b ℓ_b</c> and its gradients, worked by hand.</summary>
public class WeightedTrainingTests
{
    private static readonly Matrix<double> X2 = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 2 } });

    /// <summary>1 -> 1 identity layer with W = 0.5, b = 0.</summary>
    private static Network<double> Line()
    {
        Network<double> network = new NetworkBuilder<double>(1).WithSeed(1).AddDense(1).Build();
        var dense = (DenseLayer<double>)network.Layers[0];
        dense.Weights[0, 0] = 0.5;
        dense.BiasParameter.Value.Clear();
        return network;
    }

    /// <summary>1 -> 2 layer with W = 0, b = 0, so every row's output is softmax(0, 0) = (0.5, 0.5).</summary>
    private static Network<double> Zeros(IActivation activation)
    {
        Network<double> network = new NetworkBuilder<double>(1).WithSeed(1).AddDense(2, activation).Build();
        network.ParameterSet.SetValues(new double[network.ParameterSet.Length]);
        return network;
    }

    [Fact]
    public void BatchObjective_SampleWeights_MseLossAndGradientByHand()
    {
        // x = [1, 2], y = [1, 0], W = 0.5: p = [0.5, 1.0], r = p - y = [-0.5, 1.0], w = [2, 1], B = 2.
        // L = 1/B Σ w r² = (2·0.25 + 1·1) / 2 = 0.75.
        // dL/dp_b = 2 w_b r_b / B = [2·2·(-0.5)/2, 2·1·1/2] = [-1, 1].
        // dW = Σ x_b dL/dp_b = 1·(-1) + 2·1 = 1;  db = -1 + 1 = 0.
        Network<double> network = Line();
        var objective = new BatchObjective<double>(network, Loss.MeanSquaredError, 0);
        double loss = objective.Compute([1.0, 2.0], [1.0, 0.0], [2.0, 1.0], 2);

        loss.Should().BeApproximately(0.75, 1e-15);
        var dense = (DenseLayer<double>)network.Layers[0];
        dense.WeightParameter.Gradient[0].Should().BeApproximately(1.0, 1e-15);
        dense.BiasParameter.Gradient[0].Should().BeApproximately(0.0, 1e-15);
    }

    [Fact]
    public void Fit_SampleWeights_OneSgdStepMatchesHandComputedUpdate()
    {
        // The batch above with SGD η = 0.1: W = 0.5 - 0.1·1 = 0.4, b = 0 - 0.1·0 = 0; reported loss 0.75.
        Network<double> network = Line();
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 2, Shuffle = false, Optimizer = new Sgd(0.1) });
        TrainingHistory history = trainer.Fit(network, X2, Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 0 } }), [2.0, 1.0]);

        var dense = (DenseLayer<double>)network.Layers[0];
        dense.Weights[0, 0].Should().BeApproximately(0.4, 1e-15);
        dense.Bias[0].Should().BeApproximately(0.0, 1e-15);
        history.Loss[0].Should().BeApproximately(0.75, 1e-15);
    }

    public static TheoryData<string, string> ClassifierPairs => new()
    {
        { "softmax", "sparse_categorical_crossentropy" },
        { "identity", "sparse_categorical_crossentropy(from_logits=1)" },
    };

    [Theory]
    [MemberData(nameof(ClassifierPairs))]
    public void Fit_ClassWeights_OneSgdStepMatchesHandComputedUpdate(string activation, string loss)
    {
        // W = 0, b = 0: p = softmax(0, 0) = (0.5, 0.5) for both rows; labels c = [0, 1]; class weights [3, 1]
        // give row weights w = [3, 1]. Each row loses ℓ = ln 2, so L = (3 ln 2 + 1 ln 2) / 2 = 2 ln 2.
        // dL/dz_b = w_b (p_b - onehot(c_b)) / B: row 0: 3·(-0.5, 0.5)/2 = (-0.75, 0.75); row 1: 1·(0.5, -0.5)/2 = (0.25, -0.25).
        // dW[0, k] = Σ x_b dz_bk: k=0: 1·(-0.75) + 2·0.25 = -0.25; k=1: 1·0.75 + 2·(-0.25) = 0.25.
        // db = (-0.75 + 0.25, 0.75 - 0.25) = (-0.5, 0.5).  SGD with η = 1: W = (0.25, -0.25), b = (0.5, -0.5).
        Network<double> network = Zeros(Activation.FromName(activation));
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 1, BatchSize = 2, Shuffle = false, Optimizer = new Sgd(1.0), Loss = Loss.FromName(loss), ClassWeights = [3.0, 1.0],
        });
        TrainingHistory history = trainer.Fit(network, X2, Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 } }));

        var dense = (DenseLayer<double>)network.Layers[0];
        dense.Weights[0, 0].Should().BeApproximately(0.25, 1e-15);
        dense.Weights[0, 1].Should().BeApproximately(-0.25, 1e-15);
        dense.Bias[0].Should().BeApproximately(0.5, 1e-15);
        dense.Bias[1].Should().BeApproximately(-0.5, 1e-15);
        history.Loss[0].Should().BeApproximately(2 * Math.Log(2), 1e-15);
    }

    [Fact]
    public void Fit_ClassAndSampleWeights_Multiply()
    {
        // One-hot targets (class = column of the 1), class weights [3, 1] times sample weights [1, 2]: w = [3, 2].
        // L = (3 + 2) ln 2 / 2 = 2.5 ln 2. dz row 0: 3·(-0.5, 0.5)/2 = (-0.75, 0.75); row 1: 2·(0.5, -0.5)/2 = (0.5, -0.5).
        // dW[0, 0] = 1·(-0.75) + 2·0.5 = 0.25;  db[0] = -0.75 + 0.5 = -0.25.  SGD η = 1: W[0, 0] = -0.25, b[0] = 0.25.
        Network<double> network = Zeros(Activation.Softmax);
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 1, BatchSize = 2, Shuffle = false, Optimizer = new Sgd(1.0), Loss = Loss.CategoricalCrossEntropy, ClassWeights = [3.0, 1.0],
        });
        TrainingHistory history = trainer.Fit(network, X2, Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 } }), [1.0, 2.0]);

        var dense = (DenseLayer<double>)network.Layers[0];
        dense.Weights[0, 0].Should().BeApproximately(-0.25, 1e-15);
        dense.Bias[0].Should().BeApproximately(0.25, 1e-15);
        history.Loss[0].Should().BeApproximately(2.5 * Math.Log(2), 1e-15);
    }

    [Fact]
    public void Fit_UnitSampleWeights_GiveTheUnweightedWeightsBitForBit()
    {
        var (x, y) = LeastSquares.Data(40);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 8, Seed = 5, Optimizer = new Adam(0.01) };
        Network<double> plain = LeastSquares.LinearNetwork(), weighted = LeastSquares.LinearNetwork();
        new Trainer<double>(options).Fit(plain, x, y);
        new Trainer<double>(options with { Optimizer = new Adam(0.01) }).Fit(weighted, x, y, Enumerable.Repeat(1.0, 40).ToArray());

        LeastSquares.Weights(weighted).Should().Equal(LeastSquares.Weights(plain));
    }

    [Fact]
    public void Fit_ZeroWeightRows_AreIgnored()
    {
        // Rows with weight 0 contribute nothing: training on rows {0, 1} with weights [1, 1, 0, 0] on four rows moves the
        // weights exactly as training on the first two rows alone (one full batch, SGD), up to the 1/B factor: B is 4
        // against 2, so the learning rate is doubled to compensate.
        var (x, y) = LeastSquares.Data(4);
        Network<double> weighted = LeastSquares.LinearNetwork(), subset = LeastSquares.LinearNetwork();
        new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 4, Shuffle = false, Optimizer = new Sgd(0.2) })
            .Fit(weighted, x, y, [1.0, 1.0, 0.0, 0.0]);
        new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 2, Shuffle = false, Optimizer = new Sgd(0.1) })
            .Fit(subset, x.SubMatrix(0, 2, 0, 3), y.SubMatrix(0, 2, 0, 1));

        double[] a = LeastSquares.Weights(weighted), b = LeastSquares.Weights(subset);
        for (int i = 0; i < a.Length; i++)
        {
            a[i].Should().BeApproximately(b[i], 1e-14);
        }
    }

    [Fact]
    public void Fit_BadSampleWeights_AreRejected()
    {
        var (x, y) = LeastSquares.Data(4);
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1 });
        FluentActions.Invoking(() => trainer.Fit(LeastSquares.LinearNetwork(), x, y, [1.0, 1.0])).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
        FluentActions.Invoking(() => trainer.Fit(LeastSquares.LinearNetwork(), x, y, [1.0, -1.0, 1.0, 1.0])).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
        FluentActions.Invoking(() => trainer.Fit(LeastSquares.LinearNetwork(), x, y, [0.0, 0.0, 0.0, 0.0])).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
    }

    [Fact]
    public void ClassWeights_WrongCountOrRegressionLoss_AreRejected()
    {
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 } });
        var wrongCount = new Trainer<double>(new TrainerOptions { Loss = Loss.SparseCategoricalCrossEntropy, ClassWeights = [1.0, 2.0, 3.0] });
        FluentActions.Invoking(() => wrongCount.Fit(Zeros(Activation.Softmax), X2, y)).Should().Throw<ArgumentException>().WithMessage("*3 weights*2 classes*");
        var regression = new Trainer<double>(new TrainerOptions { ClassWeights = [1.0, 2.0] });
        FluentActions.Invoking(() => regression.Fit(Line(), X2, y)).Should().Throw<ArgumentException>().WithMessage("*classification loss*");
        FluentActions.Invoking(() => new Trainer<double>(new TrainerOptions { ClassWeights = [1.0, double.NaN] }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ClassWeights");
    }

    [Theory]
    [InlineData("softmax", "categorical_crossentropy")]
    [InlineData("identity", "mse")]
    public void ComputeGradients_Weighted_AfterWarmUp_AllocatesNothing(string lastActivation, string loss)
    {
        const int batch = 16;
        Network<float> network = new NetworkBuilder<float>(20).WithSeed(4)
            .AddDense(32, Activation.ReLU).AddDense(4, Activation.FromName(lastActivation)).Build();
        ILoss lossFunction = Loss.FromName(loss);
        float[] x = new float[batch * 20], y = new float[batch * 4], w = new float[batch];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 7) * 0.1f;
        }

        for (int r = 0; r < batch; r++)
        {
            y[r + (r % 4) * batch] = 1f;
            w[r] = 0.5f + r % 3;
        }

        network.ComputeGradients(x, y, w, batch, lossFunction);
        network.ComputeGradients(x, y, w, batch, lossFunction);

        Allocations.LeastPerRound(() => network.ComputeGradients(x, y, w, batch, lossFunction)).Should().Be(0);
    }

    [Fact]
    public void TrainingLoop_ClassAndSampleWeights_AllocateNothingPerBatch()
    {
        // 256 rows in batches of 4 with class and sample weights: bytes allocated between batch 8 and batch 60 must be 0
        // (the weights are gathered into a buffer allocated once per fit). The least over three fits.
        var random = new RandomSource(6);
        var x = Matrix<double>.Build.Dense(256, 2, (_, _) => random.NextGaussian());
        var y = Matrix<double>.Build.Dense(256, 1, (i, _) => i % 2);
        double[] sampleWeights = Enumerable.Range(0, 256).Select(i => 1.0 + i % 3).ToArray();
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            Network<double> network = new NetworkBuilder<double>(2).WithSeed(2).AddDense(8, Activation.Tanh).AddDense(2, Activation.Softmax).Build();
            var options = new TrainerOptions { Epochs = 1, BatchSize = 4, Optimizer = new Adam(0.01), Loss = Loss.SparseCategoricalCrossEntropy, ClassWeights = [1.0, 3.0] };
            long at8 = 0, at60 = 0;
            var loop = new TrainingLoop<double>(network, options, x, y, sampleWeights: sampleWeights);
            ValueTask<TrainingHistory> run = loop.RunAsync(onBatch: r =>
            {
                if (r.Batch == 8)
                {
                    at8 = GC.GetAllocatedBytesForCurrentThread();
                }
                else if (r.Batch == 60)
                {
                    at60 = GC.GetAllocatedBytesForCurrentThread();
                }
            });
            run.IsCompletedSuccessfully.Should().BeTrue();
            least = Math.Min(least, at60 - at8);
        }

        least.Should().Be(0);
    }
}
