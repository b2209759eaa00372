using System.Buffers;
using System.Numerics;
using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>
/// Categorical cross-entropy with integer class labels: targets are <c>[batch x 1]</c>, each row the class index
/// <c>c_b</c> in <c>[0, classes)</c>. <c>L = -1/B sum_b ln p_(b, c_b)</c>; fused with softmax,
/// <c>L = 1/B sum_b lse(z_b) - z_(b, c_b)</c> and <c>dL/dz = (softmax(z) - onehot(c)) / B</c>.
/// With label smoothing <c>ε</c> (Szegedy et al., 2016; Keras' and PyTorch's <c>label_smoothing</c>) the target row is
/// <c>ỹ = (1 - ε) onehot(c) + ε/K</c> over <c>K</c> classes: <c>L = -1/B sum_b sum_k ỹ_bk ln p_bk</c>, fused
/// <c>L = 1/B sum_b lse(z_b) - (1 - ε) z_(b, c_b) - (ε/K) sum_k z_bk</c> and <c>dL/dz = (softmax(z) - ỹ) / B</c>.
/// </summary>
public sealed class SparseCategoricalCrossEntropy : ILogitLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are raw logits rather than probabilities.</param>
    public SparseCategoricalCrossEntropy(bool fromLogits = false) => FromLogits = fromLogits;

    /// <summary>Creates the loss with label smoothing.</summary>
    /// <param name="fromLogits">Whether predictions are raw logits rather than probabilities.</param>
    /// <param name="labelSmoothing">The smoothing <c>ε</c> in [0, 1): the true class gets <c>1 - ε + ε/K</c>, every other
    /// class <c>ε/K</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1).</exception>
    public SparseCategoricalCrossEntropy(bool fromLogits, double labelSmoothing)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"labelSmoothing must be in [0, 1). Received: labelSmoothing={labelSmoothing}");
        }

        FromLogits = fromLogits;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The label smoothing <c>ε</c> (0 when off).</summary>
    public double LabelSmoothing { get; }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public string Name => LabelSmoothing > 0
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sparse_categorical_crossentropy(from_logits={(FromLogits ? 1 : 0)},label_smoothing={LabelSmoothing:R})")
        : FromLogits ? "sparse_categorical_crossentropy(from_logits=1)" : "sparse_categorical_crossentropy";

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
        if (LabelSmoothing > 0)
        {
            // -Σ_k ỹ_k ln p_k with ỹ_k = ε/K + (1 - ε)[k = c]
            (T other, T hit) = Smoothed<T>(classes);
            for (int b = 0; b < batchSize; b++)
            {
                int c = CrossEntropyMath.Label(target[b], b, classes);
                for (int k = 0; k < classes; k++)
                {
                    sum -= (k == c ? hit : other) * T.Log(T.Clamp(prediction[b + k * batchSize], eps, T.One));
                }
            }

            return sum / T.CreateTruncating(batchSize);
        }

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
        if (LabelSmoothing > 0)
        {
            // dL/dp_k = -ỹ_k / (B p_k)
            (T other, T hit) = Smoothed<T>(classes);
            for (int b = 0; b < batchSize; b++)
            {
                int c = CrossEntropyMath.Label(target[b], b, classes);
                for (int k = 0; k < classes; k++)
                {
                    int i = b + k * batchSize;
                    gradient[i] = scale * (k == c ? hit : other) / T.Clamp(prediction[i], eps, T.One);
                }
            }

            return;
        }

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
        if (LabelSmoothing > 0)
        {
            // Σ_k ỹ_k (lse - z_k) = lse - (1 - ε) z_c - (ε/K) Σ_k z_k, since Σ_k ỹ_k = 1
            T keep = T.CreateTruncating(1 - LabelSmoothing), spread = T.CreateTruncating(LabelSmoothing / classes);
            for (int b = 0; b < batchSize; b++)
            {
                int c = CrossEntropyMath.Label(target[b], b, classes);
                T row = T.Zero;
                for (int k = 0; k < classes; k++)
                {
                    row += logits[b + k * batchSize];
                }

                sum += rented[b] - keep * logits[b + c * batchSize] - spread * row;
            }

            ArrayPool<T>.Shared.Return(rented);
            return sum / T.CreateTruncating(batchSize);
        }

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
        if (LabelSmoothing > 0)
        {
            // dL/dz = (p - ỹ) / B: subtract ε/K everywhere and 1 - ε more at the label.
            T spread = T.CreateTruncating(LabelSmoothing / classes), keep = T.CreateTruncating(1 - LabelSmoothing);
            System.Numerics.Tensors.TensorPrimitives.Subtract(gradient[..activation.Length], spread, gradient);
            for (int b = 0; b < batchSize; b++)
            {
                gradient[b + CrossEntropyMath.Label(target[b], b, classes) * batchSize] -= keep;
            }

            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient[..activation.Length], scale, gradient);
            return;
        }

        for (int b = 0; b < batchSize; b++)
        {
            gradient[b + CrossEntropyMath.Label(target[b], b, classes) * batchSize] -= T.One;
        }

        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient[..activation.Length], scale, gradient);
    }

    /// <summary>The smoothed target of a wrong class, <c>ε/K</c>, and of the true class, <c>1 - ε + ε/K</c>.</summary>
    private (T Other, T Hit) Smoothed<T>(int classes) where T : unmanaged, IFloatingPointIeee754<T> =>
        (T.CreateTruncating(LabelSmoothing / classes), T.CreateTruncating(1 - LabelSmoothing + LabelSmoothing / classes));
}
