using NeuralNet.Optimizers;

namespace NeuralNet.Distributed.Internal;

/// <summary>The element-type-specific part of a shard, behind a byte-level surface so the grain stays non-generic.</summary>
internal interface IShardCore
{
    /// <summary>Scalars in the key range.</summary>
    int Length { get; }

    /// <summary>Why a gradient cannot be applied (wrong length, NaN or infinity), naming what was received; null when it can.</summary>
    string? Check(ReadOnlySpan<byte> gradient);

    /// <summary>Sums the parts in the order given (nulls skipped), multiplies by <paramref name="scale"/>, clips, and steps the optimiser with <paramref name="learningRate"/>.</summary>
    void Apply(IReadOnlyList<byte[]?> parts, double scale, double learningRate);

    /// <summary>A copy of the values as raw bytes.</summary>
    byte[] CopyValues();

    /// <summary>The optimiser's state.</summary>
    OptimizerState ExportOptimizer();
}
