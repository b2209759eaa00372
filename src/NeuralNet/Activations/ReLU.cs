using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Activations;

/// <summary>Rectified linear unit: <c>f(z) = max(0, z)</c>, <c>f'(z) = 1</c> if <c>z &gt; 0</c>, else 0.</summary>
public sealed class ReLU : IActivation
{
    /// <summary>The shared instance.</summary>
    public static ReLU Instance { get; } = new();

    private ReLU() { }

    /// <inheritdoc />
    public string Name => "relu";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Max(input, T.Zero, output);

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient[i] = input[i] > T.Zero ? outputGradient[i] : T.Zero;
        }
    }
}
