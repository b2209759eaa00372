using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Gaussian error linear unit (Hendrycks &amp; Gimpel, 2016), tanh form as in GPT-2 and PyTorch's
/// <c>approximate='tanh'</c>: <c>f(z) = z/2 (1 + tanh(u))</c>, <c>u = sqrt(2/pi) (z + 0.044715 z^3)</c>;
/// <c>f'(z) = (1 + tanh u)/2 + z/2 (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 z^2)</c>.
/// </summary>
public sealed class Gelu : IActivation
{
    private const double Sqrt2OverPi = 0.79788456080286535587989211986876;
    private const double Cubic = 0.044715;

    /// <summary>The shared instance.</summary>
    public static Gelu Instance { get; } = new();

    private Gelu() { }

    /// <inheritdoc />
    public string Name => "gelu";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateTruncating(Sqrt2OverPi), k = T.CreateTruncating(Cubic), half = T.CreateTruncating(0.5);
        for (int i = 0; i < input.Length; i++)
        {
            T z = input[i];
            output[i] = half * z * (T.One + T.Tanh(c * (z + k * z * z * z)));
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateTruncating(Sqrt2OverPi), k = T.CreateTruncating(Cubic), k3 = T.CreateTruncating(3 * Cubic), half = T.CreateTruncating(0.5);
        for (int i = 0; i < outputGradient.Length; i++)
        {
            T z = input[i];
            T t = T.Tanh(c * (z + k * z * z * z));
            T derivative = half * (T.One + t) + half * z * (T.One - t * t) * c * (T.One + k3 * z * z);
            inputGradient[i] = outputGradient[i] * derivative;
        }
    }
}
