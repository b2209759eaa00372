using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>Mean absolute error: <c>L = 1/(B K) sum |p - y|</c>, <c>dL/dp = sign(p - y) / (B K)</c> (0 at a tie).</summary>
public sealed class MeanAbsoluteError : ILoss
{
    /// <summary>The shared instance.</summary>
    public static MeanAbsoluteError Instance { get; } = new();

    private MeanAbsoluteError() { }

    /// <inheritdoc />
    public string Name => "mae";

    /// <inheritdoc />
    public T Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < prediction.Length; i++)
        {
            sum += T.Abs(prediction[i] - target[i]);
        }

        return sum / T.CreateTruncating(prediction.Length);
    }

    /// <inheritdoc />
    public void Gradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.One / T.CreateTruncating(prediction.Length);
        for (int i = 0; i < prediction.Length; i++)
        {
            T r = prediction[i] - target[i];
            gradient[i] = r > T.Zero ? scale : r < T.Zero ? -scale : T.Zero;
        }
    }
}
