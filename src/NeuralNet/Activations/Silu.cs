using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Sigmoid-weighted linear unit, also called swish (Ramachandran et al., 2017):
/// <c>f(z) = z sigma(z)</c>, <c>f'(z) = sigma(z) (1 + z (1 - sigma(z)))</c>.
/// </summary>
public sealed class Silu : IActivation
{
    /// <summary>The shared instance.</summary>
    public static Silu Instance { get; } = new();

    private Silu() { }

    /// <inheritdoc />
    public string Name => "silu";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            T z = input[i];
            output[i] = z / (T.One + T.Exp(-z));
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < outputGradient.Length; i++)
        {
            T z = input[i];
            T s = T.One / (T.One + T.Exp(-z));
            inputGradient[i] = outputGradient[i] * s * (T.One + z * (T.One - s));
        }
    }
}
