using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>The synchronous epoch callback, the Dataset overloads and the reports' text.</summary>
public class TrainerConvenienceTests
{
    [Fact]
    public void Fit_EpochCallback_RunsInOrderOnTheCallingThreadBeforeFitReturns()
    {
        var (x, y) = LeastSquares.Data(32);
        var seen = new List<int>();
        int caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        new Trainer<double>(new TrainerOptions { Epochs = 30, BatchSize = 8, Optimizer = new Adam(0.01) })
            .Fit(LeastSquares.LinearNetwork(), x, y, r =>
            {
                Thread.Sleep(3); // the handler of the issue: with Progress<T> most reports arrived after Fit returned
                threads.Add(Environment.CurrentManagedThreadId);
                seen.Add(r.Epoch);
            });

        seen.Should().Equal(Enumerable.Range(1, 30));
        threads.Should().Equal(caller);
    }

    [Fact]
    public void FitAndEvaluate_Dataset_MatchTheMatrixOverloads()
    {
        var (x, y) = LeastSquares.Data(48);
        var data = new Dataset<double>(x, y);
        var (train, test) = data.Split(0.25, seed: 1, stratify: false);
        TrainerOptions options = new() { Epochs = 4, BatchSize = 8, Optimizer = new Adam(0.01), Metrics = [Metric.RSquared] };

        Network<double> a = LeastSquares.LinearNetwork(), b = LeastSquares.LinearNetwork();
        TrainingHistory fromDataset = new Trainer<double>(options).Fit(a, train, test);
        TrainingHistory fromMatrices = new Trainer<double>(options with { Optimizer = new Adam(0.01) }).Fit(b, train.Features, train.Targets, test.Features, test.Targets);

        LeastSquares.Weights(a).Should().Equal(LeastSquares.Weights(b));
        fromDataset.ValidationLoss.Should().Equal(fromMatrices.ValidationLoss);
        var trainer = new Trainer<double>(options);
        trainer.Evaluate(a, test).Should().BeEquivalentTo(trainer.Evaluate(b, test.Features, test.Targets));
    }

    [Fact]
    public void ToString_ShowsTheValues()
    {
        var metrics = new Dictionary<string, double> { ["accuracy"] = 0.96666, ["val_accuracy"] = 0.9 };
        var report = new EpochReport(3, 0.123456, 0.2, metrics, 0.001, TimeSpan.FromMilliseconds(12.4), null);
        report.ToString().Should().Be("epoch 3: loss 0.1235, val_loss 0.2, accuracy 0.9667, val_accuracy 0.9, lr 0.001, 12 ms");

        new EvaluationResult(0.5, new Dictionary<string, double> { ["r2"] = 0.87654 }).ToString().Should().Be("loss 0.5, r2 0.8765");

        var health = new HealthReport([new LayerHealth(0, "dense(relu)", 0.5, 0.001, 0.25, null)], 255, ["inputs look unscaled: max |x| = 255"]);
        health.ToString().Should().Be(
            "max |x| 255" + Environment.NewLine + "layer 0 dense(relu): grad 0.5, update/weight 0.001, dead 0.25"
            + Environment.NewLine + "hint: inputs look unscaled: max |x| = 255");
    }

    [Fact]
    public void TrainingHistory_ToString_SummarisesTheRun()
    {
        var (x, y) = LeastSquares.Data(16);
        TrainingHistory history = new Trainer<double>(new TrainerOptions { Epochs = 2, BatchSize = 16, Optimizer = new Sgd(0.01) })
            .Fit(LeastSquares.LinearNetwork(), x, y);

        history.ToString().Should().StartWith("2 epochs, Completed; last: epoch 2: loss ")
            .And.Contain(history.Epochs[^1].ToString());
    }
}
