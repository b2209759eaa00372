using System.Numerics;
using NeuralNet.Activations;

namespace NeuralNet.Layers;

/// <summary>
/// An output layer whose last step is an activation <c>a = f(z)</c> that a <see cref="Losses.ILogitLoss"/> can fuse
/// with (softmax with categorical cross-entropy, sigmoid with binary cross-entropy). When the network's last layer
/// implements this and <see cref="Losses.ILogitLoss.FusesWith"/> its <see cref="OutputActivation"/>, training computes
/// the loss from the logits <c>z</c> and back-propagates the exact delta <c>dL/dz = (a - y) / batch</c> through
/// <see cref="BackwardFromPreActivation"/>, skipping the activation's Jacobian.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IFusedOutputLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The activation <c>f</c> applied last.</summary>
    IActivation OutputActivation { get; }

    /// <summary>The logits <c>z</c> of the last training forward pass, <c>[batchSize x OutputSize]</c> column-major.</summary>
    /// <param name="batchSize">Rows of that batch.</param>
    ReadOnlySpan<T> PreActivation(int batchSize);

    /// <summary>The backward pass given <c>dL/dz</c> directly: writes the parameter gradients and returns
    /// <c>dL/dinput</c> (empty when <paramref name="computeInputGradient"/> is false), held by the layer until the
    /// next call.</summary>
    /// <param name="input">The input of the last training forward pass.</param>
    /// <param name="preActivationGradient"><c>dL/dz</c>, <c>[batchSize x OutputSize]</c>.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="computeInputGradient">False for a first layer.</param>
    ReadOnlySpan<T> BackwardFromPreActivation(ReadOnlySpan<T> input, ReadOnlySpan<T> preActivationGradient, int batchSize, bool computeInputGradient);
}
