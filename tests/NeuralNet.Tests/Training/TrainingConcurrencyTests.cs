using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public class TrainingConcurrencyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static Network<double> Wide(int seed) =>
        new NetworkBuilder<double>(64).WithSeed(seed).AddDense(64, Activation.Identity).AddDense(8, Activation.Identity).Build();

    private static (Matrix<double> X, Matrix<double> Y) Data(int rows)
    {
        var random = new RandomSource(5);
        return (Matrix<double>.Build.Dense(rows, 64, (_, _) => random.NextGaussian()), Matrix<double>.Build.Dense(rows, 8, (_, _) => random.NextGaussian()));
    }

    [Fact]
    public void Predict_WhileAnotherThreadTrains_AlwaysSeesOneCompleteWeightState()
    {
        Network<double> network = Wide(1);
        var (x, y) = Data(300);
        double[] input = Enumerable.Range(0, 64).Select(i => Math.Sin(i)).ToArray();

        // Every weight state the network has between steps: the initial one and the one after each batch.
        var states = new List<double[]>();
        double[] Snapshot()
        {
            var s = new double[network.ParameterSet.StateLength];
            network.ParameterSet.CopyStateTo(s);
            return s;
        }

        states.Add(Snapshot());
        var predictions = new List<double[]>();
        using var done = new CancellationTokenSource();
        var predictor = new Thread(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var output = new double[8];
                network.Predict(input, output);
                predictions.Add(output);
            }
        });

        // Batches of one row: 300 Adam steps, each rewriting all 4,680 weights one by one.
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 1, Seed = 2, Optimizer = new Adam(0.01), Loss = Loss.MeanSquaredError });
        predictor.Start();
        try
        {
            trainer.Fit(network, x, y, null, null, onBatch: _ => states.Add(Snapshot()));
        }
        finally
        {
            done.Cancel();
            predictor.Join(Bound).Should().BeTrue();
        }

        // The outputs those states give, predicted afterwards on this thread.
        var valid = new HashSet<string>();
        var replay = new double[8];
        foreach (double[] state in states)
        {
            network.ParameterSet.SetState(state);
            network.Predict(input, replay);
            valid.Add(Key(replay));
        }

        predictions.Should().NotBeEmpty();
        predictions.Where(p => !valid.Contains(Key(p))).Should().BeEmpty("every prediction must come from a weight state between two steps");
    }

    private static string Key(double[] values) => string.Join(',', values.Select(BitConverter.DoubleToInt64Bits));

    [Fact]
    public void Fit_SecondFitOfTheSameNetworkWhileOneRuns_ThrowsInvalidOperation()
    {
        Network<double> network = Wide(2);
        var (x, y) = Data(8);
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 4, Seed = 2, Optimizer = new Sgd(0.01), Loss = Loss.MeanSquaredError });
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = new Thread(() => trainer.Fit(network, x, y, null, null, onBatch: _ =>
        {
            started.Set();
            release.Wait(Bound);
        }));
        first.Start();
        started.Wait(Bound).Should().BeTrue();

        Action second = () => new Trainer<double>(trainer.Options).Fit(network, x, y);

        second.Should().Throw<InvalidOperationException>().WithMessage("*already being trained by another Fit*");
        release.Set();
        first.Join(Bound).Should().BeTrue();
        new Action(() => trainer.Fit(network, x, y)).Should().NotThrow("the network is free again once the first fit returns");
    }

    private sealed class PredictingStep : IStepPolicy<double>
    {
        public List<double[]> Seen { get; } = [];

        public ValueTask StepAsync(StepContext<double> step, CancellationToken cancellationToken)
        {
            var output = new double[8];
            step.Network.Predict(Enumerable.Repeat(0.5, 64).ToArray(), output);
            Seen.Add(output);
            LocalStep<double>.Instance.StepAsync(step, cancellationToken);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public void Fit_StepPolicyPredictsInsideItsStep_DoesNotWaitForItself()
    {
        Network<double> network = Wide(3);
        var (x, y) = Data(8);
        var step = new PredictingStep();
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 4, Optimizer = new Sgd(0.01), Loss = Loss.MeanSquaredError }, step);
        var before = new double[8];
        network.Predict(Enumerable.Repeat(0.5, 64).ToArray(), before);

        trainer.Fit(network, x, y);

        // Two batches: the first step predicted with the initial weights, the second with the weights after one step.
        step.Seen.Should().HaveCount(2);
        step.Seen[0].Should().Equal(before);
        step.Seen[1].Should().NotEqual(before);
    }

    private sealed class FlowProbe(Network<double> network) : IProgress<EpochReport>
    {
        public bool OnFlowInReport { get; private set; }

        public bool? OnFlowInPostedWork { get; private set; }

        public ManualResetEventSlim Posted { get; } = new();

        public void Report(EpochReport value)
        {
            OnFlowInReport = network.Gate.OnTrainingFlow;

            // What Progress<T> does: post the handler to the thread pool, carrying the current execution context.
            ThreadPool.QueueUserWorkItem(_ =>
            {
                OnFlowInPostedWork = network.Gate.OnTrainingFlow;
                Posted.Set();
            });
        }
    }

    [Fact]
    public void Fit_ProgressHandlersPostedToThePool_AreOrdinaryReadersNotTheTrainingFlow()
    {
        Network<double> network = Wide(4);
        var (x, y) = Data(8);
        var probe = new FlowProbe(network);
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1, BatchSize = 4, Optimizer = new Sgd(0.01), Loss = Loss.MeanSquaredError });

        trainer.Fit(network, x, y, probe);

        probe.Posted.Wait(Bound).Should().BeTrue();
        probe.OnFlowInReport.Should().BeTrue("the report itself runs on the training flow, between steps");
        probe.OnFlowInPostedWork.Should().BeFalse("work posted from the report must wait for steps like any other thread");
        network.Gate.OnTrainingFlow.Should().BeFalse("the flow mark ends with the fit");
    }
}
