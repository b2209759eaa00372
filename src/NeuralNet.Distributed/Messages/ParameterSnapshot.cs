namespace NeuralNet.Distributed.Messages;

/// <summary>A shard's key range at a version (ps-lite's <c>Pull</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ParameterSnapshot
{
    /// <summary>Optimiser steps applied so far.</summary>
    [Id(0)] public long Version { get; init; }

    /// <summary>The values, raw little-endian elements of the job's precision.</summary>
    [Id(1)] public byte[] Values { get; init; } = [];
}
