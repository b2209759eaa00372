using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>
/// Rejects a cross-entropy paired with the wrong last-layer activation, which trains without an error but badly:
/// cross-entropy on probabilities reads <c>ln p</c> of whatever the last layer outputs (a linear or ReLU unit is not a
/// probability, and <c>p</c> is clamped to <c>[1e-7, 1]</c>, so the gradient vanishes for every unit outside it), and the
/// logits variants after a softmax or sigmoid squash the outputs twice. Only layers that say their last activation
/// (<see cref="IFusedOutputLayer{T}"/>) are checked.
/// </summary>
internal static class OutputLossCheck
{
    /// <exception cref="ArgumentException">The pair is one of the silent mistakes; the message names the fix.</exception>
    public static void ThrowIfMismatched<T>(ILoss loss, Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.Layers[^1] is not IFusedOutputLayer<T> output)
        {
            return;
        }

        IActivation activation = output.OutputActivation;
        string? problem = loss switch
        {
            CategoricalCrossEntropy { FromLogits: false } when activation is not Softmax =>
                $"loss {loss.Name} expects probabilities from a softmax last layer, but the last layer's activation is {activation.Name}. Fix: give the last layer Activation.Softmax, or keep it linear (identity) and use Loss.CategoricalCrossEntropyFromLogits.",
            SparseCategoricalCrossEntropy { FromLogits: false } when activation is not Softmax =>
                $"loss {loss.Name} expects probabilities from a softmax last layer, but the last layer's activation is {activation.Name}. Fix: give the last layer Activation.Softmax, or keep it linear (identity) and use Loss.SparseCategoricalCrossEntropyFromLogits.",
            BinaryCrossEntropy { FromLogits: false } when activation is not Sigmoid =>
                $"loss {loss.Name} expects probabilities from a sigmoid last layer, but the last layer's activation is {activation.Name}. Fix: give the last layer Activation.Sigmoid, or keep it linear (identity) and use Loss.BinaryCrossEntropyFromLogits.",
            CategoricalCrossEntropy { FromLogits: true } or SparseCategoricalCrossEntropy { FromLogits: true } or BinaryCrossEntropy { FromLogits: true }
                when activation is Softmax or Sigmoid =>
                $"loss {loss.Name} expects raw logits, but the last layer already applies {activation.Name}, so the outputs would be squashed twice. Fix: make the last layer linear (Activation.Identity), or use the loss without from_logits.",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, "options");
        }
    }
}
