using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests;

public class NetworkTests
{
    private static int TrainXor<T>(long seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> x = Matrix<T>.Build.Dense(4, 2, (r, c) => T.CreateTruncating(TestData.XorInputs[r, c]));
        Matrix<T> y = Matrix<T>.Build.Dense(4, 1, (r, _) => T.CreateTruncating(r is 1 or 2 ? 1 : 0));
        Network<T> net = new NetworkBuilder<T>(2).WithSeed(seed).AddDense(2, Activation.Tanh).AddDense(1, Activation.Sigmoid).Build();
        T eta = T.CreateTruncating(0.5);
        for (int epoch = 0; epoch < 2000; epoch++)
        {
            net.ComputeGradients(x, y, Loss.BinaryCrossEntropy);
            foreach (Parameter<T> p in net.Parameters)
            {
                for (int i = 0; i < p.Length; i++)
                {
                    p.Value[i] -= eta * p.Gradient[i];
                }
            }
        }

        Matrix<T> output = net.Predict(x);
        int correct = 0;
        for (int r = 0; r < 4; r++)
        {
            correct += (output[r, 0] >= T.CreateTruncating(0.5)) == (r is 1 or 2) ? 1 : 0;
        }

        return correct;
    }

    [Fact]
    public void Xor_TwoHiddenUnits_Double_LearnsAllFour() => TrainXor<double>(seed: 2).Should().Be(4);

    [Fact]
    public void Xor_TwoHiddenUnits_Float_LearnsAllFour() => TrainXor<float>(seed: 2).Should().Be(4);

    [Theory]
    [InlineData(1300, 0, 1300)]  // every row: three chunks of up to 512
    [InlineData(1300, 700, 600)] // a range across a chunk boundary of the whole matrix
    [InlineData(1300, 0, 1040)]  // the training rows of a split
    [InlineData(1300, 1299, 1)]  // one row: the single-row kernel, as for a one-row matrix
    public void PredictRows_EqualsPredictOfTheSubMatrix_BitForBit(int rows, int first, int count)
    {
        // The trainer predicts its validation split and its training rows in place, without copying them out of x.
        var random = new RandomSource(8);
        Matrix<float> x = Matrix<float>.Build.Dense(rows, 24, (_, _) => (float)random.NextGaussian());
        Network<float> network = new NetworkBuilder<float>(24).WithSeed(4).AddDense(40, Activation.ReLU).AddDense(7, Activation.Softmax).Build();
        Matrix<float> expected = network.Predict(x.SubMatrix(first, count, 0, 24));
        Matrix<float> actual = network.PredictRows(x.AsColumnMajorArray(), rows, first, count);
        actual.RowCount.Should().Be(count);
        actual.AsColumnMajorArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.AsColumnMajorArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Build_SameSeed_SameWeightsBitForBit()
    {
        Network<float> a = new NetworkBuilder<float>(5).WithSeed(9).AddDense(7, Activation.ReLU).AddDense(3).Build();
        Network<float> b = new NetworkBuilder<float>(5).WithSeed(9).AddDense(7, Activation.ReLU).AddDense(3).Build();
        Network<float> c = new NetworkBuilder<float>(5).WithSeed(10).AddDense(7, Activation.ReLU).AddDense(3).Build();
        a.Parameters[0].Value.ToArray().Should().Equal(b.Parameters[0].Value.ToArray());
        a.Parameters[0].Value.ToArray().Should().NotEqual(c.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void Predict_DenseLayer_MatchesHandComputation()
    {
        // x = [1, 2]; W = [[1, -1], [0.5, 2]]; b = [0.5, -1]
        // z = [1*1 + 2*0.5 + 0.5, 1*(-1) + 2*2 - 1] = [2.5, 2]; relu -> [2.5, 2]
        Network<double> net = new NetworkBuilder<double>(2).WithSeed(0).AddDense(2, Activation.ReLU).Build();
        var layer = (DenseLayer<double>)net.Layers[0];
        layer.Weights.SetSubMatrix(0, 0, Matrix<double>.Build.DenseOfArray(new double[,] { { 1, -1 }, { 0.5, 2 } }));
        layer.Bias[0] = 0.5;
        layer.Bias[1] = -1;
        net.Predict(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } })).Row(0).ToArray().Should().Equal(2.5, 2.0);
        Span<double> single = stackalloc double[2];
        net.Predict([1.0, 2.0], single);
        single.ToArray().Should().Equal(2.5, 2.0);
    }

    [Fact]
    public void ComputeGradients_DenseLayer_MatchesHandComputation()
    {
        // Same layer, identity activation, MSE against y = [0, 0] for one sample x = [1, 2]:
        // z = [2.5, 2]; L = (2.5^2 + 2^2) / 2 = 5.125; dL/dz = 2 z / 2 = [2.5, 2]; dW = x^T dz = [[2.5, 2], [5, 4]]; db = [2.5, 2].
        Network<double> net = new NetworkBuilder<double>(2).WithSeed(0).AddDense(2).Build();
        var layer = (DenseLayer<double>)net.Layers[0];
        layer.Weights.SetSubMatrix(0, 0, Matrix<double>.Build.DenseOfArray(new double[,] { { 1, -1 }, { 0.5, 2 } }));
        layer.Bias[0] = 0.5;
        layer.Bias[1] = -1;
        double loss = net.ComputeGradients(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } }), Matrix<double>.Build.Dense(1, 2), Loss.MeanSquaredError);
        loss.Should().Be(5.125);
        layer.WeightParameter.GradientAsMatrix().ToArray().Should().BeEquivalentTo(new double[,] { { 2.5, 2 }, { 5, 4 } });
        layer.BiasParameter.Gradient.ToArray().Should().Equal(2.5, 2.0);
    }

    [Fact]
    public void Predict_LargeBatch_EqualsRowByRowPrediction()
    {
        // More rows than one inference chunk, so the chunked path is exercised.
        Network<double> net = new NetworkBuilder<double>(6).WithSeed(3).AddDense(8, Activation.Gelu).AddDense(4, Activation.Softmax).Build();
        Matrix<double> x = TestData.Gaussian(1100, 6, 4);
        Matrix<double> batch = net.Predict(x);
        double[] output = new double[4];
        foreach (int r in new[] { 0, 511, 512, 1024, 1099 })
        {
            net.Predict(x.Row(r).ToArray(), output);
            // Vectorised and scalar tails of exp may differ in the last bit, so compare to 1e-14.
            batch.Row(r).ToArray().Should().Equal(output, (a, b) => Math.Abs(a - b) <= 1e-14 * Math.Max(1, Math.Abs(b)));
        }
    }

    [Fact]
    public void Predict_ManyThreadsAtOnce_GivesTheSingleThreadedResults()
    {
        Network<float> net = new NetworkBuilder<float>(16).WithSeed(5).AddDense(32, Activation.ReLU).AddDense(32, Activation.Tanh).AddDense(5, Activation.Softmax).Build();
        var inputs = new Matrix<float>[8];
        var expected = new Matrix<float>[8];
        var expectedSingle = new float[8][];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = TestData.Gaussian(20 + i * 37, 16, i).Map(v => (float)v);
            expected[i] = net.Predict(inputs[i]);
            expectedSingle[i] = new float[5];
            net.Predict(inputs[i].Row(0).ToArray(), expectedSingle[i]);
        }

        int mismatches = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            int i = k % inputs.Length;
            Matrix<float> got = net.Predict(inputs[i]);
            float[] single = new float[5];
            net.Predict(inputs[i].Row(0).ToArray(), single);
            if (!got.Equals(expected[i]) || !single.AsSpan().SequenceEqual(expectedSingle[i]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });
        mismatches.Should().Be(0);
    }

    [Fact]
    public void Predict_WrongColumns_NamesBothShapes()
    {
        Network<float> net = new NetworkBuilder<float>(784).WithSeed(1).AddDense(10).Build();
        Action act = () => net.Predict(Matrix<float>.Build.Dense(32, 3));
        act.Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("expected 784 input columns, got 3 (input [32x3])*");
    }

    [Fact]
    public void Predict_Null_Throws()
    {
        Network<float> net = new NetworkBuilder<float>(2).WithSeed(1).AddDense(1).Build();
        Action act = () => net.Predict(null!);
        act.Should().Throw<ArgumentNullException>().WithParameterName("input");
    }

    [Fact]
    public void PredictSpan_WrongLength_Throws()
    {
        Network<double> net = new NetworkBuilder<double>(3).WithSeed(1).AddDense(2).Build();
        Action act = () => net.Predict(new double[4], new double[2]);
        act.Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("expected 3 inputs, got 4*");
    }

    [Fact]
    public void ComputeGradients_WrongTargetShape_NamesShapesAndLoss()
    {
        Network<double> net = new NetworkBuilder<double>(3).WithSeed(1).AddDense(4, Activation.Softmax).Build();
        Action act = () => net.ComputeGradients(Matrix<double>.Build.Dense(5, 3), Matrix<double>.Build.Dense(5, 3), Loss.CategoricalCrossEntropy);
        act.Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("expected target [5x4] for loss categorical_crossentropy*got target [5x3]*");
    }

    [Fact]
    public void ComputeGradients_NullLoss_Throws()
    {
        Network<double> net = new NetworkBuilder<double>(3).WithSeed(1).AddDense(1).Build();
        Action act = () => net.ComputeGradients(Matrix<double>.Build.Dense(1, 3), Matrix<double>.Build.Dense(1, 1), null!);
        act.Should().Throw<ArgumentNullException>().WithParameterName("loss");
    }

    [Fact]
    public void Builder_NonPositiveUnits_ThrowsWithValue()
    {
        Action act = () => new NetworkBuilder<double>(3).AddDense(-3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("units").WithMessage("*units=-3*");
    }

    [Fact]
    public void Builder_NonPositiveInput_ThrowsWithValue()
    {
        Action act = () => _ = new NetworkBuilder<double>(0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputSize").WithMessage("*inputSize=0*");
    }

    [Fact]
    public void Builder_NoLayers_ThrowsOnBuild()
    {
        Action act = () => new NetworkBuilder<double>(3).Build();
        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Constructor_LayersThatDoNotChain_NamesTheLayer()
    {
        Action act = () => _ = new Network<double>(3, [new DenseLayer<double>(3, 4), new DenseLayer<double>(5, 2)]);
        act.Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("Layer 1 (dense(identity)) expects 5 inputs but receives 4*");
    }

    [Fact]
    public void ParameterCountAndSummary_DescribeTheNetwork()
    {
        Network<float> net = new NetworkBuilder<float>(784).WithSeed(1).AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(10, Activation.Softmax).Build();
        // 784*256 + 256 + 256*128 + 128 + 128*10 + 10
        net.ParameterCount.Should().Be(235_146);
        string summary = net.Summary();
        summary.Should().Contain("dense(relu)").And.Contain("dense(softmax)").And.Contain("235,146");
        net.InputSize.Should().Be(784);
        net.OutputSize.Should().Be(10);
    }

    [Fact]
    public void ComputeGradients_SoftmaxCrossEntropyAtLogitsOf1e4_FiniteLossAndGradient()
    {
        // Set the output layer's weights so the logits are +-1e4 and check nothing overflows.
        Network<double> net = new NetworkBuilder<double>(1).WithSeed(1).AddDense(2, Activation.Softmax).Build();
        var layer = (DenseLayer<double>)net.Layers[0];
        layer.Weights[0, 0] = 1e4;
        layer.Weights[0, 1] = -1e4;
        Matrix<double> x = Matrix<double>.Build.Dense(2, 1, (r, _) => r == 0 ? 1 : -1);
        Matrix<double> y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1 }, { 0, 1 } });
        double loss = net.ComputeGradients(x, y, Loss.CategoricalCrossEntropy);
        // Row 0: logits [1e4, -1e4], true class 1 -> 2e4; row 1: logits [-1e4, 1e4] -> 0. Mean 1e4.
        loss.Should().Be(1e4);
        foreach (Parameter<double> p in net.Parameters)
        {
            p.Gradient.ToArray().Should().OnlyContain(g => double.IsFinite(g));
        }

        Network<float> netF = new NetworkBuilder<float>(1).WithSeed(1).AddDense(2, Activation.Softmax).Build();
        ((DenseLayer<float>)netF.Layers[0]).Weights[0, 0] = 1e4f;
        ((DenseLayer<float>)netF.Layers[0]).Weights[0, 1] = -1e4f;
        float lossF = netF.ComputeGradients(x.Map(v => (float)v), y.Map(v => (float)v), Loss.CategoricalCrossEntropy);
        lossF.Should().Be(1e4f);
    }
}
