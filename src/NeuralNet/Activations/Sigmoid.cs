using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Activations;

/// <summary>Logistic sigmoid: <c>f(z) = 1 / (1 + e^-z)</c>, <c>f'(z) = f(z) (1 - f(z))</c>.</summary>
public sealed class Sigmoid : IActivation
{
    /// <summary>The shared instance.</summary>
    public static Sigmoid Instance { get; } = new();

    private Sigmoid() { }

    /// <inheritdoc />
    public string Name => "sigmoid";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Sigmoid(input, output);

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // dz = g * a * (1 - a), from the output alone.
        for (int i = 0; i < outputGradient.Length; i++)
        {
            T a = output[i];
            inputGradient[i] = outputGradient[i] * a * (T.One - a);
        }
    }
}
