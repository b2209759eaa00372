using NeuralNet.Distributed.Messages;

namespace NeuralNet.Distributed.Grains;

/// <summary>The persisted state of a parameter-server shard: its job, values, optimiser state, version and counters.
/// Numeric arrays are raw bytes, so every storage serializer (binary or JSON) round-trips them bit-exactly.</summary>
[GenerateSerializer]
public sealed class ShardState
{
    /// <summary>The job's setup (its <see cref="ShardSetup.Values"/> left empty: the current values are in <see cref="Values"/>).</summary>
    [Id(0)] public ShardSetup? Setup { get; set; }

    /// <summary>The key range's values at <see cref="Version"/>.</summary>
    [Id(1)] public byte[] Values { get; set; } = [];

    /// <summary>Optimiser steps applied.</summary>
    [Id(2)] public long Version { get; set; }

    /// <summary>The optimiser's name, as exported.</summary>
    [Id(3)] public string OptimizerName { get; set; } = "";

    /// <summary>The optimiser's step count.</summary>
    [Id(4)] public long OptimizerSteps { get; set; }

    /// <summary>The optimiser's state tensors, each as raw doubles.</summary>
    [Id(5)] public byte[][] OptimizerTensors { get; set; } = [];

    /// <summary>The optimiser's scalar state, as raw doubles.</summary>
    [Id(6)] public byte[] OptimizerScalars { get; set; } = [];

    /// <summary>Counters at the checkpoint.</summary>
    [Id(7)] public ShardCounters Counters { get; set; } = new();
}
