using System.Numerics;
using MathNet.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Gaussian error linear unit, exact form (Hendrycks &amp; Gimpel, 2016; PyTorch's default <c>approximate='none'</c>,
/// Keras' <c>gelu(approximate=False)</c>): <c>f(z) = z Φ(z)</c> with <c>Φ(z) = (1 + erf(z / √2)) / 2</c> the standard normal
/// CDF; <c>f'(z) = Φ(z) + z φ(z)</c>, <c>φ(z) = e^(-z²/2) / √(2π)</c>. <c>erf</c> is evaluated in double precision
/// (MathNet's <c>SpecialFunctions.Erf</c>) for both element types. <see cref="Gelu"/> is the cheaper tanh approximation.
/// </summary>
public sealed class GeluExact : IActivation
{
    private const double InvSqrt2 = 0.70710678118654752440084436210485;
    private const double InvSqrt2Pi = 0.39894228040143267793994605993438;

    /// <summary>The shared instance.</summary>
    public static GeluExact Instance { get; } = new();

    private GeluExact() { }

    /// <inheritdoc />
    public string Name => "gelu_exact";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            // f(z) = z · (1 + erf(z/√2)) / 2
            double z = double.CreateTruncating(input[i]);
            output[i] = T.CreateTruncating(z * 0.5 * (1 + SpecialFunctions.Erf(z * InvSqrt2)));
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < outputGradient.Length; i++)
        {
            // f'(z) = Φ(z) + z φ(z)
            double z = double.CreateTruncating(input[i]);
            double derivative = 0.5 * (1 + SpecialFunctions.Erf(z * InvSqrt2)) + z * InvSqrt2Pi * Math.Exp(-0.5 * z * z);
            inputGradient[i] = outputGradient[i] * T.CreateTruncating(derivative);
        }
    }
}
