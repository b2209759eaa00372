using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>scikit-learn's stall stop (<c>tol</c>, <c>n_iter_no_change</c>) and metric names as reports print them.</summary>
public class StallStopAndNamesTests
{
    private static EpochReport Epoch(int epoch, double loss) => new(epoch, loss, null, new Dictionary<string, double>(), 0.1, TimeSpan.Zero, null);

    /// <summary>Feeds the losses to a tracker; returns the epoch at which it says stop, or 0.</summary>
    private static int StopEpoch(EarlyStoppingOptions options, params double[] losses)
    {
        var tracker = new EarlyStoppingTracker<double>(options, higherIsBetter: false, stateLength: 0);
        Network<double> network = LeastSquares.LinearNetwork();
        var history = new TrainingHistory();
        for (int i = 0; i < losses.Length; i++)
        {
            if (tracker.Update(Epoch(i + 1, losses[i]), network, history))
            {
                return i + 1;
            }
        }

        return 0;
    }

    [Fact]
    public void WhenTrainingLossStalls_MapsScikitLearnsParameters()
    {
        EarlyStoppingOptions options = EarlyStoppingOptions.WhenTrainingLossStalls(tol: 1e-3, nIterNoChange: 5);
        options.Monitor.Should().Be("loss");
        options.MinDelta.Should().Be(1e-3);
        options.Patience.Should().Be(6); // stops when the stall count exceeds n_iter_no_change
        options.RestoreBestWeights.Should().BeFalse();
        options.BestFollowsEveryImprovement.Should().BeTrue();
        FluentActions.Invoking(() => EarlyStoppingOptions.WhenTrainingLossStalls(nIterNoChange: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("nIterNoChange");
    }

    [Fact]
    public void StallRule_CreepingLossStopsUnderScikitLearnButNotUnderKeras()
    {
        // tol = 0.01, n_iter_no_change = 2, losses 1.0, 0.995, 0.99, 0.985 (each 0.005 below the last):
        // scikit-learn: epoch 2: 0.995 > 1.0 - 0.01 -> stall 1, best 0.995; epoch 3: 0.99 > 0.985 -> stall 2, best 0.99;
        //   epoch 4: 0.985 > 0.98 -> stall 3 > 2 -> stop at epoch 4.
        // Keras (best moves only on a gain > 0.01): epoch 2 wait 1, epoch 3 wait 2 (0.99 is not < 0.99), epoch 4:
        //   0.985 < 0.99 -> improvement, wait 0 -> no stop.
        EarlyStoppingOptions sklearn = EarlyStoppingOptions.WhenTrainingLossStalls(tol: 0.01, nIterNoChange: 2);
        StopEpoch(sklearn, 1.0, 0.995, 0.99, 0.985).Should().Be(4);
        StopEpoch(sklearn with { BestFollowsEveryImprovement = false }, 1.0, 0.995, 0.99, 0.985).Should().Be(0);
        // A real improvement resets the count: 1.0, 0.995 (stall 1), 0.9 (reset), 0.899, 0.898, 0.897 (stalls 1-3) -> epoch 6.
        StopEpoch(sklearn, 1.0, 0.995, 0.9, 0.899, 0.898, 0.897).Should().Be(6);
    }

    [Fact]
    public void Fit_StallingLoss_StopsAfterNIterNoChangePlusOneStalls()
    {
        // With η = 1e-9 the loss moves far less than tol = 1e-4 per epoch: epoch 1 sets the best, epochs 2-5 are stalls
        // 1-4, and 4 > n_iter_no_change = 3 stops training after epoch 5.
        var (x, y) = LeastSquares.Data(32);
        TrainingHistory history = new Trainer<double>(new TrainerOptions
        {
            Epochs = 100, BatchSize = 32, Optimizer = new Sgd(1e-9), EarlyStopping = EarlyStoppingOptions.WhenTrainingLossStalls(1e-4, 3),
        }).Fit(LeastSquares.LinearNetwork(), x, y);

        history.Epochs.Should().HaveCount(5);
        history.StopReason.Should().Be(StopReason.EarlyStopped);
    }

    [Theory]
    [InlineData("r2", "r2")]
    [InlineData("R2", "r2")]
    [InlineData("R²", "r2")]
    [InlineData("r2_score", "r2")]
    [InlineData("mean_squared_error", "mse")]
    [InlineData("MAE", "mae")]
    [InlineData("acc", "accuracy")]
    [InlineData("Top_3_Accuracy", "top_3_accuracy")]
    public void FromName_AcceptsReportNamesInAnyCaseAndAliases(string name, string expected)
    {
        Metric.FromName(name).Name.Should().Be(expected);
    }

    [Fact]
    public void MonitorAndHistory_AcceptTheMetricAsPrinted()
    {
        var (x, y) = LeastSquares.Data(40);
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 3, BatchSize = 8, Optimizer = new Adam(0.01), Metrics = [Metric.FromName("R2")], ValidationFraction = 0.25,
            EarlyStopping = new EarlyStoppingOptions { Monitor = "val_R2", Patience = 5 },
        });
        TrainingHistory history = trainer.Fit(LeastSquares.LinearNetwork(), x, y);

        history.Metric("R2").Should().Equal(history.Metric("r2"));
        history.Metric("VAL_R2").Should().Equal(history.Metric("val_r2"));
        history.BestValue.Should().Be(history.Metric("val_r2").Max()); // r2 is higher-is-better
    }
}
