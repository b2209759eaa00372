using System.Buffers;
using System.Numerics;
using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>
/// Categorical cross-entropy with integer class labels: targets are <c>[batch x 1]</c>, each row the class index
/// <c>c_b</c> in <c>[0, classes)</c>. <c>L = -1/B sum_b ln p_(b, c_b)</c>; fused with softmax,
/// <c>L = 1/B sum_b lse(z_b) - z_(b, c_b)</c> and <c>dL/dz = (softmax(z) - onehot(c)) / B</c>.
/// </summary>
public sealed class SparseCategoricalCrossEntropy : ILogitLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are raw logits rather than probabilities.</param>
    public SparseCategoricalCrossEntropy(bool fromLogits = false) => FromLogits = fromLogits;

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public string Name => FromLogits ? "sparse_categorical_crossentropy(from_logits=1)" : "sparse_categorical_crossentropy";

    /// <inheritdoc />
    public int ExpectedTargetColumns(int outputs) => 1;

    /// <inheritdoc />
    public bool FusesWith(IActivation outputActivation) => !FromLogits && outputActivation is Softmax;

    /// <inheritdoc />
    public T Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FromLogits)
        {
            return ComputeFromLogits(prediction, target, batchSize);
        }

        int classes = prediction.Length / batchSize;
        T eps = T.CreateTruncating(CrossEntropyMath.Epsilon), sum = T.Zero;
        for (int b = 0; b < batchSize; b++)
        {
            int c = CrossEntropyMath.Label(target[b], b, classes);
            sum -= T.Log(T.Clamp(prediction[b + c * batchSize], eps, T.One));
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

        int classes = prediction.Length / batchSize;
        T eps = T.CreateTruncating(CrossEntropyMath.Epsilon), scale = -T.One / T.CreateTruncating(batchSize);
        gradient[..prediction.Length].Clear();
        for (int b = 0; b < batchSize; b++)
        {
            int i = b + CrossEntropyMath.Label(target[b], b, classes) * batchSize;
            gradient[i] = scale / T.Clamp(prediction[i], eps, T.One);
        }
    }

    /// <inheritdoc />
    public T ComputeFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = logits.Length / batchSize;
        T[] rented = CrossEntropyMath.LogSumExpRows(logits, batchSize);
        T sum = T.Zero;
        for (int b = 0; b < batchSize; b++)
        {
            int c = CrossEntropyMath.Label(target[b], b, classes);
            sum += rented[b] - logits[b + c * batchSize];
        }

        ArrayPool<T>.Shared.Return(rented);
        return sum / T.CreateTruncating(batchSize);
    }

    /// <inheritdoc />
    public void GradientFromLogits<T>(ReadOnlySpan<T> activation, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = activation.Length / batchSize;
        T scale = T.One / T.CreateTruncating(batchSize);
        activation.CopyTo(gradient);
        for (int b = 0; b < batchSize; b++)
        {
            gradient[b + CrossEntropyMath.Label(target[b], b, classes) * batchSize] -= T.One;
        }

        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient[..activation.Length], scale, gradient);
    }
}
