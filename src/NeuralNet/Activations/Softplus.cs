using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Softplus: <c>f(z) = ln(1 + e^z)</c>, computed stably as <c>max(z, 0) + ln(1 + e^-|z|)</c>;
/// <c>f'(z) = sigma(z)</c>.
/// </summary>
public sealed class Softplus : IActivation
{
    /// <summary>The shared instance.</summary>
    public static Softplus Instance { get; } = new();

    private Softplus() { }

    /// <inheritdoc />
    public string Name => "softplus";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            T z = input[i];
            output[i] = T.Max(z, T.Zero) + T.LogP1(T.Exp(-T.Abs(z)));
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient[i] = outputGradient[i] / (T.One + T.Exp(-input[i]));
        }
    }
}
