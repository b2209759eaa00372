using System.Globalization;
using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>Leaky ReLU: <c>f(z) = z</c> if <c>z &gt; 0</c>, else <c>alpha * z</c>; <c>f'(z) = 1</c> or <c>alpha</c>.</summary>
public sealed class LeakyReLU : IActivation
{
    /// <summary>Creates a leaky ReLU.</summary>
    /// <param name="alpha">Slope for negative inputs, usually small (default 0.01).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative or not finite.</exception>
    public LeakyReLU(double alpha = 0.01)
    {
        ThrowHelper.ThrowIfNegativeOrNotFinite(alpha, nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>Slope for negative inputs.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"leaky_relu(alpha={Alpha:R})");

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(Alpha);
        for (int i = 0; i < input.Length; i++)
        {
            T z = input[i];
            output[i] = z > T.Zero ? z : alpha * z;
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(Alpha);
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient[i] = input[i] > T.Zero ? outputGradient[i] : alpha * outputGradient[i];
        }
    }
}
