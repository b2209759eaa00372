using System.Runtime.InteropServices;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Messages;
using NeuralNet.Optimizers;

namespace NeuralNet.Distributed.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ParameterShardGuardTests(ClusterFixture fixture)
{
    private static readonly double[] Initial = [0.5, -1.0, 2.0, 0.25];

    private async Task<IParameterShardGrain> StartShard(string job, ParameterServerMode mode)
    {
        IParameterShardGrain shard = fixture.Client.GetGrain<IParameterShardGrain>($"{job}/0");
        await shard.StartAsync(new ShardSetup
        {
            JobId = job, Shard = 0, ShardCount = 1, Precision = Precision.Double,
            Values = Bytes(Initial),
            Pieces = [new ShardPiece { Name = "0.W[0:3]", Length = 3, IsRegularized = true }, new ShardPiece { Name = "0.b[0:1]", Length = 1 }],
            Optimizer = OptimizerSpec.From(new Sgd(0.1)), Mode = mode, Staleness = 1, CheckpointEvery = 10, StepsPerEpoch = 100,
            BarrierTimeout = TimeSpan.FromSeconds(20),
        }, resume: false);
        return shard;
    }

    private static byte[] Bytes(double[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static double[] Values(ParameterSnapshot snapshot) => MemoryMarshal.Cast<byte, double>(snapshot.Values).ToArray();

    private static GradientPush Push(string job, double[] gradient, long version = 0) => new()
    {
        JobId = job, Version = version, Worker = 0, WorkerCount = 1, Rows = 4, BatchRows = 4, LearningRate = 0.1, Gradient = Bytes(gradient),
    };

    [Theory]
    [InlineData(ParameterServerMode.Synchronous)]
    [InlineData(ParameterServerMode.Asynchronous)]
    public async Task PushAsync_NaNInfinityOrWrongLength_RefusedCountedAndParametersUnchanged(ParameterServerMode mode)
    {
        string job = $"guard-{mode}";
        IParameterShardGrain shard = await StartShard(job, mode);

        PushResult nan = await shard.PushAsync(Push(job, [0.1, double.NaN, 0.3, 0.4]));
        PushResult infinity = await shard.PushAsync(Push(job, [0.1, 0.2, double.PositiveInfinity, 0.4]));
        PushResult tooShort = await shard.PushAsync(Push(job, [0.1, 0.2, 0.3]));
        PushResult otherJob = await shard.PushAsync(Push("someone-else", [0.1, 0.2, 0.3, 0.4]));

        foreach (PushResult r in new[] { nan, infinity, tooShort, otherJob })
        {
            r.Status.Should().Be(PushStatus.Refused);
            r.Version.Should().Be(0);
        }

        nan.Reason.Should().Contain("NaN").And.Contain("element 1");
        infinity.Reason.Should().Contain("element 2");
        tooShort.Reason.Should().Contain("24 bytes").And.Contain("holds 4 values");
        otherJob.Reason.Should().Contain("someone-else");
        ShardStatus status = await shard.GetStatusAsync();
        status.Counters.RefusedPushes.Should().Be(4);
        status.Version.Should().Be(0);
        Values(await shard.PullAsync(0)).Should().Equal(Initial);
    }

    [Fact]
    public async Task PushAsync_GoodPushAfterPoisonedOnes_AppliesOneSgdStep()
    {
        const string Job = "guard-then-good";
        IParameterShardGrain shard = await StartShard(Job, ParameterServerMode.Synchronous);
        (await shard.PushAsync(Push(Job, [double.NaN, 0, 0, 0]))).Status.Should().Be(PushStatus.Refused);

        PushResult good = await shard.PushAsync(Push(Job, [1.0, 2.0, -4.0, 10.0]));

        good.Status.Should().Be(PushStatus.Accepted);
        good.Version.Should().Be(1);
        // w ← w − η g with η = 0.1: 0.5 − 0.1 = 0.4, −1 − 0.2 = −1.2, 2 + 0.4 = 2.4, 0.25 − 1 = −0.75.
        double[] after = Values(await shard.PullAsync(1));
        after.Should().Equal(0.5 - 0.1 * 1.0, -1.0 - 0.1 * 2.0, 2.0 - 0.1 * -4.0, 0.25 - 0.1 * 10.0);
    }

    [Fact]
    public async Task PushAsync_AsynchronousBeyondStaleness_RefusedAsStale()
    {
        const string Job = "guard-stale";
        IParameterShardGrain shard = await StartShard(Job, ParameterServerMode.Asynchronous);
        // Bound s = 1: a gradient of version 0 is taken while the shard is at 0 or 1, refused at 2.
        (await shard.PushAsync(Push(Job, [1, 1, 1, 1], version: 0))).Version.Should().Be(1); // 0 − 0 = 0 ≤ 1
        (await shard.PushAsync(Push(Job, [1, 1, 1, 1], version: 0))).Version.Should().Be(2); // 1 − 0 = 1 ≤ 1

        PushResult stale = await shard.PushAsync(Push(Job, [1, 1, 1, 1], version: 0)); // 2 − 0 = 2 > 1

        stale.Status.Should().Be(PushStatus.Stale);
        stale.Version.Should().Be(2);
        (await shard.GetStatusAsync()).Counters.StalePushes.Should().Be(1);
    }

    [Fact]
    public async Task PushAsync_SynchronousSumsPartsInWorkerOrderAndRescalesWhenNotAllRowsArrived()
    {
        const string Job = "guard-barrier";
        IParameterShardGrain shard = await StartShard(Job, ParameterServerMode.Synchronous);
        // Two workers, 3 + 1 rows of a 4-row batch: parts pre-scaled by 3/4 and 1/4.
        GradientPush part(int worker, int rows, double[] g) => Push(Job, g) with { Worker = worker, WorkerCount = 2, Rows = rows, BatchRows = 4 };
        (await shard.PushAsync(part(1, 1, [0.25, 0, 0, 0]))).Version.Should().Be(0, "the step waits for worker 0");
        (await shard.PushAsync(part(0, 3, [0.75, 0, 0, 0]))).Version.Should().Be(1);

        Values(await shard.PullAsync(1))[0].Should().Be(0.5 - 0.1 * (0.75 + 0.25));
    }
}
