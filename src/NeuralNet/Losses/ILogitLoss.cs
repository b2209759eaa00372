using System.Numerics;
using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>
/// A loss that can also be computed from the logits <c>z</c> of a matching output activation (softmax with
/// categorical cross-entropy, sigmoid with binary cross-entropy). The network then skips the activation's Jacobian and
/// uses the exact, cancellation-free delta <c>dL/dz = (f(z) - y) / batch</c>, and computes the loss through
/// log-sum-exp, which stays finite for any finite logits.
/// </summary>
public interface ILogitLoss : ILoss
{
    /// <summary>Whether <paramref name="outputActivation"/> is the activation this loss fuses with.</summary>
    bool FusesWith(IActivation outputActivation);

    /// <summary>The mean loss of <c>f(logits)</c> where <c>f</c> is the fused activation.</summary>
    T ComputeFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes <c>dL/dlogits</c> given <paramref name="activation"/> <c>= f(logits)</c>.</summary>
    void GradientFromLogits<T>(ReadOnlySpan<T> activation, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>;
}
