using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Distributed.Data;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Messages;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Distributed.Tests;

/// <summary>Silo processes on 127.0.0.1 with a real redis-server for membership and checkpoints; silos are killed
/// with SIGKILL mid-epoch.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessFaultTests
{
    // 900 blob rows: the first 600 train (ValidationFraction 1/3 holds out the last 300, used here as the test set);
    // batch 30: 20 steps per epoch, 6 epochs.
    private const int Rows = 900, Features = 8, Classes = 4, Epochs = 6, CheckpointEvery = 5;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(4);

    private static Network<double> NewNetwork() => new NetworkBuilder<double>(Features).WithSeed(3)
        .AddDense(16, Activation.ReLU).AddDense(Classes, Activation.Softmax).Build();

    private static DistributedTrainerOptions Options(string job, int epochs = Epochs, bool resume = false) => new()
    {
        JobId = job,
        Data = new DataSourceReference(BlobsDataSource.SourceName, BlobsDataSource.Argument(Rows, Features, Classes, 5)),
        Trainer = new TrainerOptions
        {
            Epochs = epochs, BatchSize = 30, Seed = 9, ValidationFraction = 1.0 / 3, Optimizer = new Adam(0.01),
            Loss = Loss.SparseCategoricalCrossEntropy,
        },
        BarrierTimeout = TimeSpan.FromSeconds(3),
        CheckpointEvery = CheckpointEvery,
        RecoveryTimeout = TimeSpan.FromSeconds(90),
        Resume = resume,
    };

    private static double TestAccuracy(Network<double> network)
    {
        TrainingData<double> all = BlobsDataSource.Generate<double>(Rows, Features, Classes, 5);
        Matrix<double> x = all.X.SubMatrix(600, 300, 0, Features), y = all.Y.SubMatrix(600, 300, 0, 1);
        Matrix<double> p = network.Predict(x);
        int correct = 0;
        for (int r = 0; r < 300; r++)
        {
            correct += p.Row(r).MaximumIndex() == (int)y[r, 0] ? 1 : 0;
        }

        return correct / 300.0;
    }

    private static async Task<int> ShardProcess(IClusterClient client, string job) =>
        (await client.GetGrain<IParameterShardGrain>($"{job}/0").GetStatusAsync()).Host.ProcessId;

    [Fact]
    public async Task FitAsync_WorkerSiloKilledMidEpoch_JobCompletesWithAccuracyWithinOnePoint()
    {
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(silos: 3);
        IClusterClient client = await cluster.ConnectAsync();
        var clean = NewNetwork();
        DistributedTrainingResult cleanRun = await new DistributedTrainer<double>(client, Options("clean")).FitAsync(clean).WaitAsync(JobTimeout);
        cleanRun.Counters.WorkersLost.Should().Be(0);

        var faulty = NewNetwork();
        string? victim = null;
        void OnBatch(BatchReport b)
        {
            if (victim is null && b.Epoch == 3 && b.Batch == 5)
            {
                // A worker silo that does not hold the parameter server.
                int shard = ShardProcess(client, "faulty").GetAwaiter().GetResult();
                foreach (string silo in cluster.SiloNames.Order())
                {
                    if (client.GetGrain<IWorkerGrain>(silo).GetHostAsync().GetAwaiter().GetResult().ProcessId != shard)
                    {
                        victim = silo;
                        cluster.Kill(silo);
                        return;
                    }
                }
            }
        }

        DistributedTrainingResult faultyRun = await new DistributedTrainer<double>(client, Options("faulty"))
            .FitAsync(faulty, onBatch: OnBatch).WaitAsync(JobTimeout);

        victim.Should().NotBeNull();
        faultyRun.StopReason.Should().Be(StopReason.Completed);
        faultyRun.Epochs.Should().HaveCount(Epochs);
        faultyRun.Counters.Version.Should().Be(Epochs * 20);
        // A survivor whose call failed on the way (when the killed silo was the client's gateway) also leaves the
        // roster for the rest of the epoch; it is back from the next one.
        faultyRun.Counters.WorkersLost.Should().BeInRange(1, 3);
        faultyRun.Workers.Single(w => w.Silo == victim).Failed.Should().BeTrue();
        faultyRun.Epochs[^1].Workers.Where(w => w.Steps > 0).Select(w => w.Silo).Should()
            .BeEquivalentTo(cluster.SiloNames, "the two survivors share the global batch in the last epoch");
        double cleanAccuracy = TestAccuracy(clean), faultyAccuracy = TestAccuracy(faulty);
        cleanAccuracy.Should().BeGreaterThan(0.8);
        Math.Abs(faultyAccuracy - cleanAccuracy).Should().BeLessThanOrEqualTo(0.01);
    }

    [Fact]
    public async Task FitAsync_ServerSiloKilledMidEpoch_ResumesFromCheckpointLosingAtMostKSteps()
    {
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(silos: 3);
        IClusterClient client = await cluster.ConnectAsync();
        var network = NewNetwork();
        string? victim = null;
        void OnBatch(BatchReport b)
        {
            if (victim is null && b.Epoch == 3 && b.Batch == 8)
            {
                int shard = ShardProcess(client, "server-kill").GetAwaiter().GetResult();
                foreach (string silo in cluster.SiloNames.Order())
                {
                    if (client.GetGrain<IWorkerGrain>(silo).GetHostAsync().GetAwaiter().GetResult().ProcessId == shard)
                    {
                        victim = silo;
                        cluster.Kill(silo);
                        return;
                    }
                }
            }
        }

        DistributedTrainingResult run = await new DistributedTrainer<double>(client, Options("server-kill"))
            .FitAsync(network, onBatch: OnBatch).WaitAsync(JobTimeout);

        victim.Should().NotBeNull();
        run.StopReason.Should().Be(StopReason.Completed);
        run.Counters.Version.Should().Be(Epochs * 20);
        run.Counters.Restores.Should().Be(1);
        run.Counters.StepsLost.Should().BeInRange(1, CheckpointEvery);
        (await ShardProcess(client, "server-kill")).Should().NotBe(0);
        TestAccuracy(network).Should().BeGreaterThan(0.8);
    }

    [Fact]
    public async Task FitAsync_RestartedFromPersistedState_ResumesBitExact()
    {
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(silos: 2);
        IClusterClient client = await cluster.ConnectAsync();
        var straight = NewNetwork();
        await new DistributedTrainer<double>(client, Options("straight", epochs: 4)).FitAsync(straight).WaitAsync(JobTimeout);

        // The same job stopped after two epochs; then every silo is killed and replaced: only Redis remembers.
        using var stop = new CancellationTokenSource();
        var first = await new DistributedTrainer<double>(client, Options("interrupted", epochs: 4))
            .FitAsync(NewNetwork(), progress: new Callback<EpochReport>(r => { if (r.Epoch == 2) { stop.Cancel(); } }), cancellationToken: stop.Token)
            .WaitAsync(JobTimeout);
        first.StopReason.Should().Be(StopReason.Cancelled);
        first.Epochs.Should().HaveCount(2);
        string[] names = cluster.SiloNames.ToArray();
        cluster.KillAll();
        await Task.WhenAll(names.Select(cluster.StartSiloAsync));
        IClusterClient fresh = await cluster.ConnectAsync();

        var resumed = NewNetwork();
        DistributedTrainingResult second = await new DistributedTrainer<double>(fresh, Options("interrupted", epochs: 4, resume: true))
            .FitAsync(resumed).WaitAsync(JobTimeout);

        second.Epochs.Select(e => e.Report.Epoch).Should().Equal(3, 4);
        SynchronousTrainingTests.Weights(resumed).Should().Equal(SynchronousTrainingTests.Weights(straight));
    }

    [Fact]
    public async Task FitAsync_SiloJoinsMidTraining_GetsWorkFromTheNextEpoch()
    {
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(silos: 2);
        IClusterClient client = await cluster.ConnectAsync();
        int joinedAfter = 0;
        var progress = new Callback<EpochReport>(r =>
        {
            if (r.Epoch == 2)
            {
                cluster.StartSiloAsync("silo2").GetAwaiter().GetResult();
                joinedAfter = r.Epoch;
            }
        });

        DistributedTrainingResult run = await new DistributedTrainer<double>(client, Options("elastic", epochs: 4))
            .FitAsync(NewNetwork(), progress: progress).WaitAsync(JobTimeout);

        joinedAfter.Should().Be(2);
        run.Epochs[1].Workers.Where(w => w.Steps > 0).Select(w => w.Silo).Should().BeEquivalentTo(["silo0", "silo1"]);
        run.Epochs[2].Workers.Where(w => w.Steps > 0).Select(w => w.Silo).Should().BeEquivalentTo(["silo0", "silo1", "silo2"]);
        run.Counters.Version.Should().Be(4 * 20);
        run.Counters.PartsDropped.Should().Be(0);
    }

    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "silo processes";
}
