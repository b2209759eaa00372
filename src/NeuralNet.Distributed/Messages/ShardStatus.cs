namespace NeuralNet.Distributed.Messages;

/// <summary>A shard's version, last checkpoint, counters and host.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardStatus
{
    /// <summary>The job it serves; empty when it holds none.</summary>
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>Optimiser steps applied.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>The version of the last persisted checkpoint.</summary>
    [Id(2)] public long CheckpointVersion { get; init; }

    /// <summary>Counters.</summary>
    [Id(3)] public ShardCounters Counters { get; init; } = new();

    /// <summary>Where the shard runs.</summary>
    [Id(4)] public HostInfo Host { get; init; } = new();
}
