using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public class TrainerTests
{
    /// <summary>Synchronous IProgress (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class Recorder(Action<EpochReport> onReport) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => onReport(value);
    }

    private static (Matrix<double> X, Matrix<double> Y) TwoMoons(int rows, long seed)
    {
        // Two noisy classes separated by a curved boundary, one-hot targets.
        var random = new RandomSource(seed);
        Matrix<double> x = Matrix<double>.Build.Dense(rows, 2);
        Matrix<double> y = Matrix<double>.Build.Dense(rows, 2);
        for (int i = 0; i < rows; i++)
        {
            int c = i % 2;
            double t = Math.PI * random.NextDouble();
            x[i, 0] = (c == 0 ? Math.Cos(t) : 1 - Math.Cos(t)) + 0.2 * random.NextGaussian();
            x[i, 1] = (c == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t)) + 0.2 * random.NextGaussian();
            y[i, c] = 1;
        }

        return (x, y);
    }

    private static Network<double> Classifier(long seed, double dropout = 0.2) =>
        new NetworkBuilder<double>(2).WithSeed(seed).AddDense(16, Activation.Tanh).AddDropout(dropout).AddDense(2, Activation.Softmax).Build();

    [Fact]
    public void Fit_SameSeeds_GiveBitIdenticalWeights()
    {
        var (x, y) = TwoMoons(100, 1);
        double[] Train(long trainerSeed)
        {
            Network<double> network = Classifier(7);
            new Trainer<double>(new TrainerOptions { Epochs = 5, BatchSize = 16, Seed = trainerSeed, Optimizer = new Adam(0.01), Loss = Loss.CategoricalCrossEntropy }).Fit(network, x, y);
            return LeastSquares.Weights(network);
        }

        double[] first = Train(11), second = Train(11), other = Train(12);
        second.Should().Equal(first);
        other.Should().NotEqual(first);
    }

    [Fact]
    public void Fit_TwoMoons_LearnsAndReportsMetrics()
    {
        var (x, y) = TwoMoons(200, 2);
        Network<double> network = Classifier(3);
        var reports = new List<EpochReport>();
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 30, BatchSize = 20, Optimizer = new Adam(0.02), Loss = Loss.CategoricalCrossEntropy,
            ValidationFraction = 0.25, Metrics = [Metric.Accuracy, Metric.F1],
        });

        TrainingHistory history = trainer.Fit(network, x, y, new Recorder(reports.Add));

        reports.Should().HaveCount(30);
        history.Epochs.Should().HaveCount(30);
        history.StopReason.Should().Be(StopReason.Completed);
        history.BatchesCompleted.Should().Be(30 * 8); // 150 training rows in batches of 20: 7 full + 1 of 10
        history.Loss[^1].Should().BeLessThan(history.Loss[0]);
        history.Metric("val_accuracy")[^1].Should().BeGreaterThan(0.8);
        reports[^1].Metrics.Keys.Should().BeEquivalentTo(["accuracy", "f1", "val_accuracy", "val_f1"]);
        EvaluationResult evaluation = trainer.Evaluate(network, x, y);
        evaluation.Metrics["accuracy"].Should().BeGreaterThan(0.8);
        evaluation.Loss.Should().BeLessThan(history.Loss[0]);
    }

    [Fact]
    public void Fit_LastPartialBatch_IsTrainedWithItsOwnRowCount()
    {
        var (x, y) = LeastSquares.Data(10);
        var rows = new List<int>();
        new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 4, Optimizer = new Sgd(0.01) })
            .Fit(LeastSquares.LinearNetwork(), x, y, null, null, onBatch: r => rows.Add(r.Rows));
        rows.Should().Equal(4, 4, 2);
    }

    [Fact]
    public void Fit_CancelledDuringThirdBatch_ReturnsAfterThatBatch()
    {
        var (x, y) = LeastSquares.Data(64);
        Network<double> network = LeastSquares.LinearNetwork();
        using var cts = new CancellationTokenSource();
        int seen = 0;
        TrainingHistory history = new Trainer<double>(new TrainerOptions { Epochs = 100, BatchSize = 8, Optimizer = new Sgd(0.01) })
            .Fit(network, x, y, null, null, onBatch: r =>
            {
                if (++seen == 3)
                {
                    cts.Cancel();
                }
            }, cancellationToken: cts.Token);

        history.StopReason.Should().Be(StopReason.Cancelled);
        history.BatchesCompleted.Should().Be(3);
        seen.Should().Be(3);
        history.Epochs.Should().BeEmpty();
        network.Predict(x).Enumerate().Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void Fit_EarlyStopping_RestoresBestEpochWeights()
    {
        // Validation targets are the negated training targets, so fitting the training data soon makes validation worse.
        var (x, y) = LeastSquares.Data(64);
        var (vx, vy) = LeastSquares.Data(32, seed: 9);
        vy = -vy;
        Network<double> network = LeastSquares.LinearNetwork();
        var weightsByEpoch = new Dictionary<int, double[]>();
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 200, BatchSize = 16, Optimizer = new Sgd(0.01),
            EarlyStopping = new EarlyStoppingOptions { Monitor = "val_loss", Patience = 3 },
        });

        TrainingHistory history = trainer.Fit(network, x, y, vx, vy, new Recorder(r => weightsByEpoch[r.Epoch] = LeastSquares.Weights(network)));

        history.StopReason.Should().Be(StopReason.EarlyStopped);
        int best = history.BestEpoch!.Value;
        double[] validation = history.ValidationLoss;
        best.Should().Be(Array.IndexOf(validation, validation.Min()) + 1);
        history.Epochs.Should().HaveCount(best + 3);
        LeastSquares.Weights(network).Should().Equal(weightsByEpoch[best]);
        LeastSquares.Weights(network).Should().NotEqual(weightsByEpoch[history.Epochs.Count]);
    }

    [Fact]
    public void Fit_Diverging_ThrowsWithEpochAndBatchAndKeepsFiniteWeights()
    {
        // Unscaled inputs (up to 255) and a large learning rate: each SGD step multiplies the error.
        var random = new RandomSource(4);
        Matrix<double> x = Matrix<double>.Build.Dense(32, 3, (_, _) => 255 * random.NextDouble());
        Matrix<double> y = Matrix<double>.Build.Dense(32, 1, (i, _) => x[i, 0] - x[i, 1]);
        Network<double> network = LeastSquares.LinearNetwork();
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1000, BatchSize = 8, Optimizer = new Sgd(0.5) });

        TrainingDivergedException thrown = FluentActions.Invoking(() => trainer.Fit(network, x, y)).Should().Throw<TrainingDivergedException>().Which;

        thrown.Epoch.Should().BeGreaterThan(0);
        thrown.Batch.Should().BeInRange(1, 4);
        thrown.Message.Should().Contain($"epoch {thrown.Epoch}, batch {thrown.Batch}").And.Contain("learning rate").And.Contain("scaled");
        LeastSquares.Weights(network).Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void Fit_StepOverflows_RestoresTheWeightsBeforeIt()
    {
        // Inputs near 1000 and targets of 1e6 give gradients near 1e9; with η = 1e300, θ - η g overflows to ∞ at the
        // first step. The guarded step cannot bound it, so it runs with a copy of the weights, which the trainer
        // restores before throwing.
        var random = new RandomSource(4);
        Matrix<double> x = Matrix<double>.Build.Dense(32, 3, (_, _) => 1000 + random.NextDouble());
        Matrix<double> y = Matrix<double>.Build.Dense(32, 1, 1e6);
        Network<double> network = LeastSquares.LinearNetwork();
        double[] initial = LeastSquares.Weights(network);
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 3, BatchSize = 8, Optimizer = new Sgd(1e300) });

        TrainingDivergedException thrown = FluentActions.Invoking(() => trainer.Fit(network, x, y)).Should().Throw<TrainingDivergedException>().Which;

        thrown.Message.Should().Contain("the step made a weight NaN or infinite");
        (thrown.Epoch, thrown.Batch).Should().Be((1, 1));
        LeastSquares.Weights(network).Should().Equal(initial);
    }

    [Fact]
    public void Fit_OneAndTwoThreads_GiveBitIdenticalWeights()
    {
        // 128 inputs and batches of 256 (32,768 values: the gather splits in two) into 128-300-10 (41,710 parameters:
        // the flat Adam step splits in two), float.
        var random = new RandomSource(8);
        Matrix<float> x = Matrix<float>.Build.Dense(600, 128, (_, _) => (float)random.NextGaussian());
        Matrix<float> y = Matrix<float>.Build.Dense(600, 1, (i, _) => i % 10);
        float[] Train(int threads)
        {
            int previous = NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism;
            try
            {
                NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism = threads;
                Network<float> network = new NetworkBuilder<float>(128).WithSeed(3).AddDense(300, Activation.ReLU).AddDense(10, Activation.Softmax).Build();
                new Trainer<float>(new TrainerOptions { Epochs = 2, BatchSize = 256, Optimizer = Adam.AdamW(0.01), Loss = Loss.SparseCategoricalCrossEntropy }).Fit(network, x, y);
                var weights = new float[network.ParameterSet.Length];
                network.ParameterSet.CopyValuesTo<float>(weights);
                return weights;
            }
            finally
            {
                NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism = previous;
            }
        }

        Train(2).Should().Equal(Train(1));
    }

    [Fact]
    public void Fit_ResumedFromExportedState_MatchesUninterruptedRun()
    {
        var (x, y) = TwoMoons(60, 5);
        TrainerOptions Options(int epochs, IOptimizer optimizer) => new() { Epochs = epochs, BatchSize = 16, Seed = 3, Optimizer = optimizer, Loss = Loss.CategoricalCrossEntropy };

        Network<double> straight = Classifier(1, dropout: 0);
        new Trainer<double>(Options(4, new Adam(0.01))).Fit(straight, x, y);

        Network<double> resumed = Classifier(1, dropout: 0);
        var firstHalf = new Adam(0.01);
        new Trainer<double>(Options(2, firstHalf)).Fit(resumed, x, y);
        var secondHalf = new Adam(0.01);
        secondHalf.ImportState(firstHalf.ExportState());
        new Trainer<double>(Options(4, secondHalf)).Fit(resumed, x, y, null, null, initialEpoch: 2);

        LeastSquares.Weights(resumed).Should().Equal(LeastSquares.Weights(straight));
    }

    [Fact]
    public void Fit_L2Penalty_ShrinksWeights()
    {
        // Minimising MSE + λ/2 ‖w‖² pulls the solution towards 0 (ridge regression).
        var (x, y) = LeastSquares.Data();
        Network<double> plain = LeastSquares.LinearNetwork(), ridge = LeastSquares.LinearNetwork();
        new Trainer<double>(new TrainerOptions { Epochs = 30, Optimizer = new Lbfgs() }).Fit(plain, x, y);
        new Trainer<double>(new TrainerOptions { Epochs = 30, Optimizer = new Lbfgs(), L2 = 1.0 }).Fit(ridge, x, y);
        double Norm(Network<double> n) => ((DenseLayer<double>)n.Layers[0]).Weights.FrobeniusNorm();
        Norm(ridge).Should().BeLessThan(Norm(plain) * 0.9);
    }

    [Fact]
    public void Fit_HealthMonitor_FlagsUnscaledInputs()
    {
        Matrix<double> x = Matrix<double>.Build.Dense(20, 3, (i, j) => (i * 37 + j * 11) % 256);
        x[5, 1] = 255;
        Matrix<double> y = Matrix<double>.Build.Dense(20, 1, (i, _) => i % 2);
        Network<double> network = new NetworkBuilder<double>(3).WithSeed(2).AddDense(8, Activation.ReLU).AddDense(1).Build();
        TrainingHistory history = new Trainer<double>(new TrainerOptions { Epochs = 1, Optimizer = new Sgd(1e-6), HealthMonitor = true }).Fit(network, x, y);

        HealthReport health = history.Epochs[0].Health!;
        health.MaxAbsInput.Should().Be(255);
        health.Hints.Should().Contain(h => h.StartsWith("inputs look unscaled: max |x| = 255", StringComparison.Ordinal));
        health.Layers.Should().HaveCount(2);
        health.Layers[0].DeadFraction.Should().NotBeNull();
        health.Layers[0].GradientNorm.Should().BeGreaterThan(0);
        health.Layers[1].DeadFraction.Should().BeNull();
    }

    [Fact]
    public void Fit_WrongTargetShape_ThrowsNamingTarget()
    {
        var (x, _) = LeastSquares.Data(8);
        var trainer = new Trainer<double>();
        FluentActions.Invoking(() => trainer.Fit(LeastSquares.LinearNetwork(), x, Matrix<double>.Build.Dense(8, 2)))
            .Should().Throw<ArgumentException>().WithParameterName("y").WithMessage("*[8x1]*[8x2]*");
    }

    [Fact]
    public void Fit_ValLossMonitorWithoutValidation_Throws()
    {
        var (x, y) = LeastSquares.Data(8);
        var trainer = new Trainer<double>(new TrainerOptions { EarlyStopping = new EarlyStoppingOptions() });
        FluentActions.Invoking(() => trainer.Fit(LeastSquares.LinearNetwork(), x, y)).Should().Throw<ArgumentException>()
            .WithParameterName("validationX").WithMessage("*val_loss*validation*");
    }

    [Fact]
    public void Constructor_MonitorNotReported_ThrowsListingChoices()
    {
        FluentActions.Invoking(() => new Trainer<double>(new TrainerOptions { Metrics = [Metric.Accuracy], EarlyStopping = new EarlyStoppingOptions { Monitor = "val_auc" } }))
            .Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*val_auc*val_accuracy*");
    }

    [Fact]
    public void Fit_EarlyStoppingOnValAccuracy_KeepsHighestEpoch()
    {
        var (x, y) = TwoMoons(120, 8);
        Network<double> network = Classifier(4, dropout: 0);
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 40, BatchSize = 16, Optimizer = new Adam(0.02), Loss = Loss.CategoricalCrossEntropy, ValidationFraction = 0.25,
            Metrics = [Metric.Accuracy], EarlyStopping = new EarlyStoppingOptions { Monitor = "val_accuracy", Patience = 4 },
        });

        TrainingHistory history = trainer.Fit(network, x, y);

        double[] accuracy = history.Metric("val_accuracy");
        history.BestValue.Should().Be(accuracy.Max());
        history.BestEpoch.Should().Be(Array.IndexOf(accuracy, accuracy.Max()) + 1);
        var xv = x.SubMatrix(90, 30, 0, 2);
        var yv = y.SubMatrix(90, 30, 0, 2);
        Metric.Accuracy.Compute(network.Predict(xv), yv).Should().Be(accuracy.Max());
    }

    [Theory]
    [InlineData(0, 32, 0.0, "Epochs")]
    [InlineData(1, 0, 0.0, "BatchSize")]
    [InlineData(1, 32, 1.0, "ValidationFraction")]
    public void Constructor_BadOptions_ThrowsNamingOption(int epochs, int batchSize, double validationFraction, string name)
    {
        FluentActions.Invoking(() => new Trainer<float>(new TrainerOptions { Epochs = epochs, BatchSize = batchSize, ValidationFraction = validationFraction }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name);
    }

    [Fact]
    public void Fit_Float_TrainsLeastSquares()
    {
        var (xd, yd) = LeastSquares.Data();
        Matrix<float> x = xd.Map(v => (float)v), y = yd.Map(v => (float)v);
        Network<float> network = new NetworkBuilder<float>(3).WithSeed(1).AddDense(1).Build();
        new Trainer<float>(new TrainerOptions { Epochs = 30, Optimizer = new Lbfgs() }).Fit(network, x, y);
        ((DenseLayer<float>)network.Layers[0]).Weights[1, 0].Should().BeApproximately(-2f, 1e-3f);
    }

    [Fact]
    public void Fit_AfterWarmUp_AllocatesNothingPerBatch()
    {
        // 256 rows in batches of 4: 64 batches in the epoch; bytes allocated between batch 8 and batch 60 must be 0.
        // The least over three fits, so one-off runtime work (a method recompiled at a higher tier) cannot fail it.
        var (x, y) = TwoMoons(256, 6);
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            Network<double> network = Classifier(2);
            long at8 = 0, at60 = 0;
            new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 4, Optimizer = new Adam(0.01), Loss = Loss.CategoricalCrossEntropy, L2 = 1e-4, GradientClipNorm = 1.0 })
                .Fit(network, x, y, null, null, onBatch: r =>
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
            least = Math.Min(least, at60 - at8);
        }

        least.Should().Be(0);
    }

    [Fact]
    public void Fit_HealthMonitor_FlagsDeadReluLayer()
    {
        // Biases of -100 with inputs in [-1, 1] keep every hidden ReLU at 0: all 8 units are dead.
        var (x, y) = TwoMoons(40, 3);
        Network<double> network = new NetworkBuilder<double>(2).WithSeed(1).AddDense(8, Activation.ReLU).AddDense(2, Activation.Softmax).Build();
        ((DenseLayer<double>)network.Layers[0]).BiasParameter.Value.Fill(-100);
        TrainingHistory history = new Trainer<double>(new TrainerOptions { Epochs = 1, Optimizer = new Sgd(0.01), Loss = Loss.CategoricalCrossEntropy, HealthMonitor = true }).Fit(network, x, y);

        HealthReport health = history.Epochs[0].Health!;
        health.Layers[0].DeadFraction.Should().Be(1.0);
        health.Layers[0].GradientNorm.Should().Be(0);
        health.Hints.Should().Contain(h => h.Contains("100% of its ReLU units output 0", StringComparison.Ordinal));
        health.Hints.Should().NotContain(h => h.StartsWith("inputs look unscaled", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_FloatNetworkWithBatchNormAndDropout_IsSeededAndLearns()
    {
        var (xd, yd) = TwoMoons(128, 4);
        Matrix<float> x = xd.Map(v => (float)v), y = yd.Map(v => (float)v);
        float[] Train()
        {
            Network<float> network = new NetworkBuilder<float>(2).WithSeed(3).AddDense(16, Activation.ReLU).AddBatchNorm().AddDropout(0.1).AddDense(2, Activation.Softmax).Build();
            TrainingHistory history = new Trainer<float>(new TrainerOptions { Epochs = 15, BatchSize = 16, Optimizer = new Adam(0.01), Loss = Loss.CategoricalCrossEntropy, Metrics = [Metric.Accuracy] }).Fit(network, x, y);
            history.Metric("accuracy")[^1].Should().BeGreaterThan(0.8);
            return network.Layers.SelectMany(l => l.Parameters.Concat(l.Buffers)).SelectMany(p => p.Value.ToArray()).ToArray();
        }

        Train().Should().Equal(Train());
    }

    [Fact]
    public void Fit_GradientClipNorm_LimitsStepToLearningRateTimesClip()
    {
        // Targets of 1000 make ‖g‖ far above 0.5, so SGD with η = 1 moves θ by exactly η · 0.5 in norm.
        var (x, _) = LeastSquares.Data(4);
        Matrix<double> y = Matrix<double>.Build.Dense(4, 1, 1000.0);
        Network<double> network = LeastSquares.LinearNetwork();
        double[] before = LeastSquares.Weights(network);
        new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 4, Optimizer = new Sgd(1.0), GradientClipNorm = 0.5 }).Fit(network, x, y);
        double[] after = LeastSquares.Weights(network);
        Math.Sqrt(before.Zip(after, (a, b) => (a - b) * (a - b)).Sum()).Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void Fit_L2_AddsLambdaTimesWeightToWeightGradientOnly()
    {
        // One full batch of SGD: W' = W - η (dL/dW + λ W), b' = b - η dL/db (biases are not regularised).
        var (x, y) = LeastSquares.Data(8);
        Network<double> reference = LeastSquares.LinearNetwork(), network = LeastSquares.LinearNetwork();
        reference.ComputeGradients(x, y, Loss.MeanSquaredError);
        var dense = (DenseLayer<double>)reference.Layers[0];
        double[] expectedW = new double[3];
        for (int i = 0; i < 3; i++)
        {
            expectedW[i] = dense.WeightParameter.Value[i] - 0.1 * (dense.WeightParameter.Gradient[i] + 0.5 * dense.WeightParameter.Value[i]);
        }

        double expectedB = dense.BiasParameter.Value[0] - 0.1 * dense.BiasParameter.Gradient[0];
        new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 8, Optimizer = new Sgd(0.1), L2 = 0.5, Shuffle = false }).Fit(network, x, y);
        var trained = (DenseLayer<double>)network.Layers[0];
        trained.WeightParameter.Value.ToArray().Should().Equal(expectedW, (a, b) => Math.Abs(a - b) < 1e-14);
        trained.BiasParameter.Value[0].Should().BeApproximately(expectedB, 1e-14);
    }

    [Fact]
    public void Fit_ValidationFraction_HoldsOutLastRows()
    {
        // 8 rows, fraction 0.25: ⌈2⌉ rows (6 and 7) are held out, so the one batch has 6 rows, and the validation loss
        // is the end-of-epoch network's loss on rows 6 and 7.
        var (x, y) = LeastSquares.Data(8);
        Network<double> network = LeastSquares.LinearNetwork();
        var rows = new List<int>();
        TrainingHistory history = new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 8, Optimizer = new Sgd(0.01), ValidationFraction = 0.25 })
            .Fit(network, x, y, null, null, onBatch: r => rows.Add(r.Rows));
        rows.Should().Equal(6);
        double expected = network.ComputeLoss(x.SubMatrix(6, 2, 0, 3), y.SubMatrix(6, 2, 0, 1), Loss.MeanSquaredError);
        history.Epochs[0].ValidationLoss.Should().Be(expected);
    }

    [Fact]
    public void Fit_ValidationFractionWithMetrics_ReportsThemOnTheTrainingAndHeldOutRows()
    {
        // The split's rows are predicted where they lie in x: the reports equal the metrics and loss of the trained
        // network on copies of those rows (200 rows, fraction 0.25: rows 0-149 train, 150-199 validate).
        var (x, y) = TwoMoons(200, 4);
        Network<double> network = Classifier(5);
        TrainingHistory history = new Trainer<double>(new TrainerOptions
        {
            Epochs = 1, BatchSize = 20, Optimizer = new Adam(0.02), Loss = Loss.CategoricalCrossEntropy,
            ValidationFraction = 0.25, Metrics = [Metric.Accuracy, Metric.F1],
        }).Fit(network, x, y);

        Matrix<double> trainX = x.SubMatrix(0, 150, 0, 2), trainY = y.SubMatrix(0, 150, 0, 2);
        Matrix<double> heldX = x.SubMatrix(150, 50, 0, 2), heldY = y.SubMatrix(150, 50, 0, 2);
        EpochReport report = history.Epochs[0];
        report.Metrics["accuracy"].Should().Be(Metric.Accuracy.Compute(network.Predict(trainX), trainY));
        report.Metrics["f1"].Should().Be(Metric.F1.Compute(network.Predict(trainX), trainY));
        report.Metrics["val_accuracy"].Should().Be(Metric.Accuracy.Compute(network.Predict(heldX), heldY));
        report.ValidationLoss.Should().Be(network.ComputeLoss(heldX, heldY, Loss.CategoricalCrossEntropy));
    }

    [Fact]
    public void Fit_HealthMonitor_FlagsSaturatedSigmoidLayer()
    {
        // Inputs of ±50 into a sigmoid layer initialised for unit-scale inputs push almost every unit to 0 or 1.
        var random = new RandomSource(5);
        Matrix<double> x = Matrix<double>.Build.Dense(64, 4, (_, _) => random.NextDouble() < 0.5 ? -50 : 50);
        Matrix<double> y = Matrix<double>.Build.Dense(64, 1, (i, _) => i % 2);
        Network<double> network = new NetworkBuilder<double>(4).WithSeed(2).AddDense(16, Activation.Sigmoid).AddDense(1).Build();
        TrainingHistory history = new Trainer<double>(new TrainerOptions { Epochs = 1, Optimizer = new Sgd(1e-4), HealthMonitor = true }).Fit(network, x, y);

        LayerHealth hidden = history.Epochs[0].Health!.Layers[0];
        hidden.SaturatedFraction.Should().BeGreaterThan(0.5);
        history.Epochs[0].Health!.Hints.Should().Contain(h => h.Contains("saturated", StringComparison.Ordinal));
    }
}
