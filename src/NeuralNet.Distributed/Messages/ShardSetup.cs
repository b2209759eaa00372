namespace NeuralNet.Distributed.Messages;

/// <summary>Everything a parameter-server shard needs to serve a job: its key range's initial values and how to
/// step them. Persisted with the shard's state, so a shard that comes back on another silo serves the same job.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardSetup
{
    /// <summary>The job's identifier.</summary>
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>This shard's index in <c>[0, ShardCount)</c>.</summary>
    [Id(1)] public int Shard { get; init; }

    /// <summary>Number of shards of the job.</summary>
    [Id(2)] public int ShardCount { get; init; } = 1;

    /// <summary>Element type of values and gradients.</summary>
    [Id(3)] public Precision Precision { get; init; }

    /// <summary>Initial values of the key range, raw little-endian elements of <see cref="Precision"/>.</summary>
    [Id(4)] public byte[] Values { get; init; } = [];

    /// <summary>The key range cut at tensor boundaries, in flat order; the lengths sum to the range's length.</summary>
    [Id(5)] public ShardPiece[] Pieces { get; init; } = [];

    /// <summary>The optimiser the shard runs on its range.</summary>
    [Id(6)] public OptimizerSpec Optimizer { get; init; } = new();

    /// <summary>Synchronous or asynchronous.</summary>
    [Id(7)] public ParameterServerMode Mode { get; init; }

    /// <summary>Asynchronous mode: the most versions the server may be ahead of a gradient's version.</summary>
    [Id(8)] public int Staleness { get; init; }

    /// <summary>State is persisted every this many versions (k), and at every epoch end.</summary>
    [Id(9)] public int CheckpointEvery { get; init; } = 1;

    /// <summary>Optimiser steps per epoch (epoch ends are checkpointed too).</summary>
    [Id(10)] public int StepsPerEpoch { get; init; } = 1;

    /// <summary>Clip of the global gradient norm (only with one shard, which then sees the whole gradient).</summary>
    [Id(12)] public double? GradientClipNorm { get; init; }

    /// <summary>Synchronous mode: how long the shard waits for the missing parts of a step before stepping without them.</summary>
    [Id(13)] public TimeSpan BarrierTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seed of the job's data order, persisted so a restarted job replays the same batches.</summary>
    [Id(14)] public long Seed { get; init; }

    /// <summary>Scalars in the key range (the sum of the pieces' lengths).</summary>
    public int Length => Values.Length / (int)Precision;
}
