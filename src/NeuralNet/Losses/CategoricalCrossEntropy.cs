using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>
/// Categorical cross-entropy with one-hot (or probability) targets: <c>L = -1/B sum_b sum_k y_bk ln p_bk</c>.
/// On probabilities, <c>p</c> is clamped to <c>[1e-7, 1]</c> and <c>dL/dp = -y / (B p)</c>. With a softmax output layer
/// the network fuses the two: <c>L = 1/B sum_b (sum_k y_bk)(lse(z_b)) - sum_k y_bk z_bk</c> through log-sum-exp, and
/// <c>dL/dz = (softmax(z) sum_k y_bk - y) / B</c>, which is finite for any finite logits.
/// With <c>fromLogits</c>, the network's outputs are the logits themselves (identity output layer).
/// </summary>
public sealed class CategoricalCrossEntropy : ILogitLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are raw logits rather than probabilities.</param>
    public CategoricalCrossEntropy(bool fromLogits = false) => FromLogits = fromLogits;

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public string Name => FromLogits ? "categorical_crossentropy(from_logits=1)" : "categorical_crossentropy";

    /// <inheritdoc />
    public bool FusesWith(IActivation outputActivation) => !FromLogits && outputActivation is Softmax;

    /// <inheritdoc />
    public T Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FromLogits)
        {
            return ComputeFromLogits(prediction, target, batchSize);
        }

        T eps = T.CreateTruncating(CrossEntropyMath.Epsilon), sum = T.Zero;
        for (int i = 0; i < prediction.Length; i++)
        {
            if (!T.IsZero(target[i]))
            {
                sum -= target[i] * T.Log(T.Clamp(prediction[i], eps, T.One));
            }
        }

        return sum / T.CreateTruncating(batchSize);
    }

    /// <inheritdoc />
    public void Gradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FromLogits)
        {
            Softmax.Instance.Forward(prediction, gradient, batchSize);
            GradientFromLogits(gradient, target, gradient, batchSize);
            return;
        }

        T eps = T.CreateTruncating(CrossEntropyMath.Epsilon), scale = -T.One / T.CreateTruncating(batchSize);
        for (int i = 0; i < prediction.Length; i++)
        {
            gradient[i] = scale * target[i] / T.Clamp(prediction[i], eps, T.One);
        }
    }

    /// <inheritdoc />
    public T ComputeFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] rented = CrossEntropyMath.LogSumExpRows(logits, batchSize);
        ReadOnlySpan<T> lse = rented.AsSpan(0, batchSize);
        int classes = logits.Length / batchSize;
        T sum = T.Zero;
        for (int j = 0; j < classes; j++)
        {
            ReadOnlySpan<T> y = target.Slice(j * batchSize, batchSize), z = logits.Slice(j * batchSize, batchSize);
            for (int b = 0; b < batchSize; b++)
            {
                if (!T.IsZero(y[b]))
                {
                    sum += y[b] * (lse[b] - z[b]);
                }
            }
        }

        ArrayPool<T>.Shared.Return(rented);
        return sum / T.CreateTruncating(batchSize);
    }

    /// <inheritdoc />
    public void GradientFromLogits<T>(ReadOnlySpan<T> activation, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = activation.Length / batchSize;
        T[] rented = ArrayPool<T>.Shared.Rent(batchSize);
        Span<T> rowSum = rented.AsSpan(0, batchSize);
        rowSum.Clear();
        for (int j = 0; j < classes; j++)
        {
            TensorPrimitives.Add(rowSum, target.Slice(j * batchSize, batchSize), rowSum);
        }

        T scale = T.One / T.CreateTruncating(batchSize);
        for (int j = 0; j < classes; j++)
        {
            Span<T> g = gradient.Slice(j * batchSize, batchSize);
            TensorPrimitives.Multiply(activation.Slice(j * batchSize, batchSize), rowSum, g);
            TensorPrimitives.Subtract(g, target.Slice(j * batchSize, batchSize), g);
            TensorPrimitives.Multiply(g, scale, g);
        }

        ArrayPool<T>.Shared.Return(rented);
    }
}
