using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Losses;

/// <summary>Mean squared error over every element: <c>L = 1/(B K) sum (p - y)^2</c>, <c>dL/dp = 2 (p - y) / (B K)</c>.</summary>
public sealed class MeanSquaredError : ILoss
{
    /// <summary>The shared instance.</summary>
    public static MeanSquaredError Instance { get; } = new();

    private MeanSquaredError() { }

    /// <inheritdoc />
    public string Name => "mse";

    /// <inheritdoc />
    public T Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < prediction.Length; i++)
        {
            T r = prediction[i] - target[i];
            sum += r * r;
        }

        return sum / T.CreateTruncating(prediction.Length);
    }

    /// <inheritdoc />
    public void Gradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.CreateTruncating(2.0) / T.CreateTruncating(prediction.Length);
        TensorPrimitives.Subtract(prediction, target, gradient);
        TensorPrimitives.Multiply(gradient, scale, gradient);
    }
}
