using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Scaled ELU (Klambauer et al., 2017): <c>f(z) = lambda z</c> if <c>z &gt; 0</c>, else <c>lambda alpha (e^z - 1)</c>,
/// with <c>lambda = 1.0507009873554805</c>, <c>alpha = 1.6732632423543772</c>; <c>f'(z) = lambda</c> or <c>f(z) + lambda alpha</c>.
/// </summary>
public sealed class Selu : IActivation
{
    /// <summary>The scale <c>lambda</c>.</summary>
    public const double Lambda = 1.0507009873554804934193349852946;

    /// <summary>The <c>alpha</c> of the negative branch.</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    /// <summary>The shared instance.</summary>
    public static Selu Instance { get; } = new();

    private Selu() { }

    /// <inheritdoc />
    public string Name => "selu";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lambda = T.CreateTruncating(Lambda), lambdaAlpha = T.CreateTruncating(Lambda * Alpha);
        for (int i = 0; i < input.Length; i++)
        {
            T z = input[i];
            output[i] = z > T.Zero ? lambda * z : lambdaAlpha * (T.Exp(z) - T.One);
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lambda = T.CreateTruncating(Lambda), lambdaAlpha = T.CreateTruncating(Lambda * Alpha);
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient[i] = input[i] > T.Zero ? lambda * outputGradient[i] : outputGradient[i] * (output[i] + lambdaAlpha);
        }
    }
}
