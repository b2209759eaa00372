using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Activations;

/// <summary>Hyperbolic tangent: <c>f(z) = tanh(z)</c>, <c>f'(z) = 1 - f(z)^2</c>.</summary>
public sealed class Tanh : IActivation
{
    /// <summary>The shared instance.</summary>
    public static Tanh Instance { get; } = new();

    private Tanh() { }

    /// <inheritdoc />
    public string Name => "tanh";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Tanh(input, output);

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < outputGradient.Length; i++)
        {
            T a = output[i];
            inputGradient[i] = outputGradient[i] * (T.One - a * a);
        }
    }
}
