namespace NeuralNet.Distributed.Messages;

/// <summary>What a shard has counted since its job started (persisted with its state).</summary>
[GenerateSerializer, Immutable]
public sealed record ShardCounters
{
    /// <summary>Optimiser steps applied.</summary>
    [Id(0)] public long StepsApplied { get; init; }

    /// <summary>Pushes accepted.</summary>
    [Id(1)] public long PartsAccepted { get; init; }

    /// <summary>Synchronous mode: parts missing when a step's barrier timed out (a late or dead worker's part).</summary>
    [Id(2)] public long PartsDropped { get; init; }

    /// <summary>Synchronous mode: parts that arrived after their step was applied.</summary>
    [Id(3)] public long LatePushes { get; init; }

    /// <summary>Asynchronous mode: pushes refused for being more than the staleness bound behind.</summary>
    [Id(4)] public long StalePushes { get; init; }

    /// <summary>Pushes refused by the guard (wrong job or length, NaN or infinity, bad worker index).</summary>
    [Id(5)] public long RefusedPushes { get; init; }

    /// <summary>Times the shard went back to its last persisted checkpoint.</summary>
    [Id(6)] public long Restores { get; init; }

    /// <summary>Versions lost by going back to checkpoints (the steps that were redone).</summary>
    [Id(7)] public long StepsLost { get; init; }
}
