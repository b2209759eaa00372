using System.Globalization;
using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>
/// Huber loss, quadratic near zero and linear beyond <c>delta</c>: with <c>r = p - y</c>,
/// <c>l(r) = r^2/2</c> if <c>|r| &lt;= delta</c>, else <c>delta (|r| - delta/2)</c>; <c>L = 1/(B K) sum l(r)</c>,
/// <c>dL/dp = clamp(r, -delta, delta) / (B K)</c>.
/// </summary>
public sealed class Huber : ILoss
{
    /// <summary>Creates a Huber loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear (default 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public Huber(double delta = 1.0)
    {
        ThrowHelper.ThrowIfNotPositive(delta, nameof(delta));
        Delta = delta;
    }

    /// <summary>The threshold between the quadratic and the linear part.</summary>
    public double Delta { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"huber(delta={Delta:R})");

    /// <inheritdoc />
    public T Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T delta = T.CreateTruncating(Delta), half = T.CreateTruncating(0.5), sum = T.Zero;
        for (int i = 0; i < prediction.Length; i++)
        {
            T r = T.Abs(prediction[i] - target[i]);
            sum += r <= delta ? half * r * r : delta * (r - half * delta);
        }

        return sum / T.CreateTruncating(prediction.Length);
    }

    /// <inheritdoc />
    public void Gradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T delta = T.CreateTruncating(Delta), scale = T.One / T.CreateTruncating(prediction.Length);
        for (int i = 0; i < prediction.Length; i++)
        {
            gradient[i] = T.Clamp(prediction[i] - target[i], -delta, delta) * scale;
        }
    }
}
