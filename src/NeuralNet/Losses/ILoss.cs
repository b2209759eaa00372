using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>
/// A loss <c>L(prediction, target)</c> averaged over the batch. Predictions are <c>[batch x outputs]</c> and targets
/// <c>[batch x ExpectedTargetColumns(outputs)]</c>, both column-major. Implementations must be stateless and thread-safe.
/// </summary>
public interface ILoss
{
    /// <summary>Canonical name, including parameters; <see cref="Loss.FromName"/> parses it back.</summary>
    string Name { get; }

    /// <summary>How many target columns this loss expects for a network with <paramref name="outputs"/> outputs
    /// (the same number for most losses; 1 for losses that take integer class labels).</summary>
    int ExpectedTargetColumns(int outputs) => outputs;

    /// <summary>Returns the mean loss over the batch.</summary>
    /// <param name="prediction">Network outputs, <c>[batchSize x outputs]</c>.</param>
    /// <param name="target">Targets, <c>[batchSize x ExpectedTargetColumns(outputs)]</c>.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    T Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes <c>dL/dprediction</c> (of the batch mean) into <paramref name="gradient"/>.</summary>
    /// <param name="prediction">Network outputs, <c>[batchSize x outputs]</c>.</param>
    /// <param name="target">Targets.</param>
    /// <param name="gradient">Destination, the length of <paramref name="prediction"/>.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    void Gradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>;
}
