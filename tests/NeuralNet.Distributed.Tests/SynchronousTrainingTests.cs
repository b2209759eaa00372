using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Distributed.Messages;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

using NeuralNet.Distributed.Data;

namespace NeuralNet.Distributed.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SynchronousTrainingTests(ClusterFixture fixture)
{
    // 300 rows, batch 30: 10 steps per epoch, 5 epochs = 50 optimiser steps.
    private const int Rows = 300, Features = 6, Classes = 3, Batch = 30, Epochs = 5;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(3);

    internal static Network<T> NewNetwork<T>(long seed = 7) where T : unmanaged, IFloatingPointIeee754<T> =>
        new NetworkBuilder<T>(Features).WithSeed(seed)
            .AddDense(16, Activation.Tanh)
            .AddDense(Classes, Activation.Softmax)
            .Build();

    internal static TrainerOptions Options(IOptimizer optimizer, int epochs = Epochs, double l2 = 0) => new()
    {
        Epochs = epochs,
        BatchSize = Batch,
        Seed = 11,
        Optimizer = optimizer,
        Loss = Loss.SparseCategoricalCrossEntropy,
        L2 = l2,
    };

    internal static DistributedTrainerOptions Distributed(string job, TrainerOptions trainer, int workers = 3, int shards = 1) => new()
    {
        JobId = job,
        Trainer = trainer,
        Data = new DataSourceReference(BlobsDataSource.SourceName, BlobsDataSource.Argument(Rows, Features, Classes, 3)),
        Workers = workers,
        Shards = shards,
        BarrierTimeout = TimeSpan.FromSeconds(20),
        CheckpointEvery = 5,
    };

    internal static T[] Weights<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        network.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();

    private static double MaxDifference<T>(T[] a, T[] b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        a.Length.Should().Be(b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(double.CreateTruncating(a[i] - b[i])));
        }

        return max;
    }

    private static T[] SingleNode<T>(IOptimizer optimizer, double l2 = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TrainingData<T> data = BlobsDataSource.Generate<T>(Rows, Features, Classes, 3);
        Network<T> network = NewNetwork<T>();
        new Trainer<T>(Options(optimizer, l2: l2)).Fit(network, data.X, data.Y);
        return Weights(network);
    }

    private async Task<(T[] Weights, DistributedTrainingResult Result)> DistributedRun<T>(string job, IOptimizer optimizer, int shards = 1, double l2 = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = NewNetwork<T>();
        var trainer = new DistributedTrainer<T>(fixture.Client, Distributed(job, Options(optimizer, l2: l2), shards: shards));
        using var timeout = new CancellationTokenSource(TestTimeout);
        DistributedTrainingResult result = await trainer.FitAsync(network).WaitAsync(timeout.Token);
        return (Weights(network), result);
    }

    [Fact]
    public async Task FitAsync_ThreeWorkersDouble_MatchesSingleNodeTrainerWithin1e10()
    {
        double[] expected = SingleNode<double>(new Adam(0.01));
        (double[] actual, DistributedTrainingResult result) = await DistributedRun<double>("sync-double", new Adam(0.01), l2: 1e-3);
        double[] expectedL2 = SingleNode<double>(new Adam(0.01), l2: 1e-3);

        result.Steps.Should().Be(50);
        result.Workers.Count(w => w.Steps > 0).Should().Be(3);
        result.Counters.PartsDropped.Should().Be(0);
        MaxDifference(actual, expectedL2).Should().BeLessThan(1e-10);
        MaxDifference(actual, expected).Should().BeGreaterThan(1e-6, "the L2 run must differ from the run without L2, or the comparison proves nothing");
    }

    [Fact]
    public async Task FitAsync_ThreeWorkersFloat_MatchesSingleNodeTrainerWithin1e5()
    {
        float[] expected = SingleNode<float>(new Momentum(0.05, 0.9));
        (float[] actual, DistributedTrainingResult result) = await DistributedRun<float>("sync-float", new Momentum(0.05, 0.9));

        result.Steps.Should().Be(50);
        MaxDifference(actual, expected).Should().BeLessThan(1e-5);
        MaxDifference(actual, Weights(NewNetwork<float>())).Should().BeGreaterThan(1e-2, "training must have moved the weights");
    }

    [Fact]
    public async Task FitAsync_TwoRuns_GiveBitIdenticalWeights()
    {
        (double[] first, _) = await DistributedRun<double>("repeat-a", new Adam(0.01));
        (double[] second, _) = await DistributedRun<double>("repeat-b", new Adam(0.01));

        second.Should().Equal(first);
    }

    [Fact]
    public async Task FitAsync_TwoShards_EqualsOneShard()
    {
        (double[] one, _) = await DistributedRun<double>("shards-1", new Adam(0.01), shards: 1);
        (double[] two, DistributedTrainingResult result) = await DistributedRun<double>("shards-2", new Adam(0.01), shards: 2);

        result.Steps.Should().Be(50);
        two.Should().Equal(one);
    }
}

[Collection(ClusterCollection.Name)]
public sealed class BatchNormTrainingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task FitAsync_BatchNormNetwork_DriverGetsTheMeanOfTheWorkersRunningStatistics()
    {
        Network<double> network = new NetworkBuilder<double>(6).WithSeed(7)
            .AddDense(16, NeuralNet.Activations.Activation.Identity).AddBatchNorm().AddDense(3, NeuralNet.Activations.Activation.Softmax).Build();
        var options = SynchronousTrainingTests.Distributed("batch-norm", SynchronousTrainingTests.Options(new Adam(0.01), epochs: 2));
        ParameterSet<double> set = network.ParameterSet;
        var before = new double[set.StateLength];
        set.CopyStateTo(before);

        await new DistributedTrainer<double>(fixture.Client, options).FitAsync(network).WaitAsync(TimeSpan.FromMinutes(2));

        var after = new double[set.StateLength];
        set.CopyStateTo(after);
        var workers = new List<double[]>();
        foreach (string silo in (await fixture.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(true)).Select(h => h.SiloName).Order().Take(3))
        {
            byte[] raw = await fixture.Client.GetGrain<NeuralNet.Distributed.Grains.IWorkerGrain>(silo).GetBuffersAsync("batch-norm");
            workers.Add(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(raw).ToArray());
        }

        int buffers = set.StateLength - set.Length;
        buffers.Should().BeGreaterThan(0);
        workers.Should().OnlyContain(w => w.Length == buffers);
        for (int i = 0; i < buffers; i++)
        {
            after[set.Length + i].Should().BeApproximately(workers.Average(w => w[i]), 1e-12);
        }

        after.Skip(set.Length).Should().NotEqual(before.Skip(set.Length), "the running statistics moved during training");
    }
}

[Collection(ClusterCollection.Name)]
public sealed class DriverHabitsTests(ClusterFixture fixture)
{
    private sealed class Collect<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];

        public void Report(T value) => Items.Add(value);
    }

    [Fact]
    public async Task FitAsync_ProgressValidationAndMetrics_ReportedEveryEpoch()
    {
        TrainingData<double> validation = BlobsDataSource.Generate<double>(90, 6, 3, 4);
        var trainer = SynchronousTrainingTests.Options(new Adam(0.01), epochs: 3) with { Metrics = [NeuralNet.Metrics.Metric.Accuracy] };
        var epochs = new Collect<EpochReport>();
        var details = new Collect<DistributedEpochReport>();

        DistributedTrainingResult result = await new DistributedTrainer<double>(fixture.Client, SynchronousTrainingTests.Distributed("habits", trainer))
            .FitAsync(SynchronousTrainingTests.NewNetwork<double>(), validation.X, validation.Y, epochs, details).WaitAsync(TimeSpan.FromMinutes(2));

        epochs.Items.Select(e => e.Epoch).Should().Equal(1, 2, 3);
        epochs.Items.Should().OnlyContain(e => e.ValidationLoss != null && e.Metrics.ContainsKey("accuracy") && e.Metrics.ContainsKey("val_accuracy"));
        details.Items.Should().HaveCount(3).And.OnlyContain(d => d.Workers.Count == 3 && d.BytesPerStep > 0);
        result.StopReason.Should().Be(StopReason.Completed);
        result.Loss.Should().HaveCount(3);
    }

    [Fact]
    public async Task FitAsync_Cancelled_StopsBeforeTheNextStepWithTheLastWeights()
    {
        using var cancel = new CancellationTokenSource();
        var network = SynchronousTrainingTests.NewNetwork<double>();

        DistributedTrainingResult result = await new DistributedTrainer<double>(fixture.Client,
                SynchronousTrainingTests.Distributed("cancelled", SynchronousTrainingTests.Options(new Adam(0.01))))
            .FitAsync(network, onBatch: b => { if (b.Epoch == 2 && b.Batch == 3) { cancel.Cancel(); } }, cancellationToken: cancel.Token)
            .WaitAsync(TimeSpan.FromMinutes(2));

        result.StopReason.Should().Be(StopReason.Cancelled);
        result.Epochs.Should().HaveCount(1);
        result.Counters.Version.Should().Be(13);
        SynchronousTrainingTests.Weights(network).Should().NotEqual(SynchronousTrainingTests.Weights(SynchronousTrainingTests.NewNetwork<double>()));
    }

    [Fact]
    public async Task FitAsync_ValidationOfTheWrongWidth_ThrowsNamingTheShapes()
    {
        var trainer = new DistributedTrainer<double>(fixture.Client, SynchronousTrainingTests.Distributed("bad-validation", SynchronousTrainingTests.Options(new Adam(0.01))));
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(10, 5);
        var y = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(10, 1);

        Func<Task> act = () => trainer.FitAsync(SynchronousTrainingTests.NewNetwork<double>(), x, y);

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("validationX").WithMessage("*[10x5]*6 inputs*");
    }
}
