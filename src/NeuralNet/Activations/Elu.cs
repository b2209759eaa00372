using System.Globalization;
using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Exponential linear unit (Clevert et al., 2015): <c>f(z) = z</c> if <c>z &gt; 0</c>, else <c>alpha (e^z - 1)</c>;
/// <c>f'(z) = 1</c> or <c>f(z) + alpha</c>.
/// </summary>
public sealed class Elu : IActivation
{
    /// <summary>Creates an ELU.</summary>
    /// <param name="alpha">Saturation value for large negative inputs is <c>-alpha</c> (default 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative or not finite.</exception>
    public Elu(double alpha = 1.0)
    {
        ThrowHelper.ThrowIfNegativeOrNotFinite(alpha, nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>The <c>alpha</c> of the negative branch.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"elu(alpha={Alpha:R})");

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(Alpha);
        for (int i = 0; i < input.Length; i++)
        {
            T z = input[i];
            output[i] = z > T.Zero ? z : alpha * (T.Exp(z) - T.One);
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(Alpha);
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient[i] = input[i] > T.Zero ? outputGradient[i] : outputGradient[i] * (output[i] + alpha);
        }
    }
}
