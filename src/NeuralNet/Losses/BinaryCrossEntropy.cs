using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>
/// Binary cross-entropy, element-wise over every output: <c>L = -1/(B K) sum y ln p + (1 - y) ln(1 - p)</c>, with
/// <c>p</c> clamped to <c>[1e-7, 1 - 1e-7]</c> and <c>dL/dp = (p - y) / (p (1 - p) B K)</c>. With a sigmoid output the
/// network fuses the two: on logits <c>l(z) = max(z, 0) - z y + ln(1 + e^-|z|)</c> and <c>dL/dz = (sigma(z) - y) / (B K)</c>.
/// With <c>fromLogits</c>, the network's outputs are the logits themselves.
/// </summary>
public sealed class BinaryCrossEntropy : ILogitLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are raw logits rather than probabilities.</param>
    public BinaryCrossEntropy(bool fromLogits = false) => FromLogits = fromLogits;

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public string Name => FromLogits ? "binary_crossentropy(from_logits=1)" : "binary_crossentropy";

    /// <inheritdoc />
    public bool FusesWith(IActivation outputActivation) => !FromLogits && outputActivation is Sigmoid;

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
            T p = T.Clamp(prediction[i], eps, T.One - eps), y = target[i];
            sum -= y * T.Log(p) + (T.One - y) * T.Log(T.One - p);
        }

        return sum / T.CreateTruncating(prediction.Length);
    }

    /// <inheritdoc />
    public void Gradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (FromLogits)
        {
            TensorPrimitives.Sigmoid(prediction, gradient);
            GradientFromLogits(gradient, target, gradient, batchSize);
            return;
        }

        T eps = T.CreateTruncating(CrossEntropyMath.Epsilon), scale = T.One / T.CreateTruncating(prediction.Length);
        for (int i = 0; i < prediction.Length; i++)
        {
            T p = T.Clamp(prediction[i], eps, T.One - eps);
            gradient[i] = scale * (p - target[i]) / (p * (T.One - p));
        }
    }

    /// <inheritdoc />
    public T ComputeFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < logits.Length; i++)
        {
            T z = logits[i];
            sum += T.Max(z, T.Zero) - z * target[i] + T.LogP1(T.Exp(-T.Abs(z)));
        }

        return sum / T.CreateTruncating(logits.Length);
    }

    /// <inheritdoc />
    public void GradientFromLogits<T>(ReadOnlySpan<T> activation, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.One / T.CreateTruncating(activation.Length);
        TensorPrimitives.Subtract(activation, target, gradient);
        TensorPrimitives.Multiply(gradient[..activation.Length], scale, gradient);
    }
}
