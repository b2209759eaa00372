using NeuralNet.Activations;
using System.Numerics;
using MathNet.Numerics;

namespace NeuralNet.Onnx.Activations;

/// <summary>
/// Exact Gaussian error linear unit (Hendrycks &amp; Gimpel, 2016), PyTorch's default <c>nn.GELU()</c> and ONNX's
/// <c>Gelu(approximate="none")</c>: <c>f(z) = z Φ(z) = z/2 (1 + erf(z/√2))</c>,
/// <c>f'(z) = Φ(z) + z φ(z)</c> with <c>φ(z) = e^(-z²/2) / √(2π)</c>. The core's <c>gelu</c> is the tanh form;
/// the importer maps each to its own activation. Registered under the name <c>gelu_erf</c> (see <see cref="Register"/>).
/// </summary>
/// <remarks><c>erf</c> is MathNet's <c>SpecialFunctions.Erf</c>, evaluated in double for both element types.</remarks>
public sealed class GeluErf : IActivation
{
    private const double InverseSqrt2 = 0.70710678118654752440084436210485;
    private const double InverseSqrt2Pi = 0.39894228040143267793994605993438;

    private GeluErf() { }

    /// <summary>The shared instance.</summary>
    public static GeluErf Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "gelu_erf";

    /// <summary>Registers <c>gelu_erf</c> and <c>log_softmax</c> with <see cref="Activation.FromName"/> so model files
    /// of imported networks load. The importer and exporter call it; calling it again does nothing new.</summary>
    public static void Register()
    {
        Activation.Register(Instance.Name, () => Instance);
        Activation.Register(LogSoftmax.Instance.Name, () => LogSoftmax.Instance);
    }

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            double z = double.CreateTruncating(input[i]);
            output[i] = T.CreateTruncating(0.5 * z * (1 + SpecialFunctions.Erf(z * InverseSqrt2)));
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < outputGradient.Length; i++)
        {
            // dz = g (Φ(z) + z φ(z))
            double z = double.CreateTruncating(input[i]);
            double cdf = 0.5 * (1 + SpecialFunctions.Erf(z * InverseSqrt2));
            double pdf = InverseSqrt2Pi * Math.Exp(-0.5 * z * z);
            inputGradient[i] = outputGradient[i] * T.CreateTruncating(cdf + z * pdf);
        }
    }
}
