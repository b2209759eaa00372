using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>Identity (linear) activation: <c>f(z) = z</c>, <c>f'(z) = 1</c>.</summary>
public sealed class Identity : IActivation
{
    /// <summary>The shared instance.</summary>
    public static Identity Instance { get; } = new();

    private Identity() { }

    /// <inheritdoc />
    public string Name => "identity";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T> =>
        input.CopyTo(output);

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T> => outputGradient.CopyTo(inputGradient);
}
