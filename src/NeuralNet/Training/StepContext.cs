using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// One batch as an <see cref="IStepPolicy{T}"/> sees it: the network and its flat parameters (gradients filled), the
/// optimiser and options, the batch's data and position, and its loss. One instance per fit, updated before every
/// step: read it during the call, do not keep it.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class StepContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal StepContext(Network<T> network, TrainerOptions options, int batchCount, Func<T>? evaluate)
    {
        Network = network;
        Parameters = network.ParameterSet;
        Options = options;
        BatchCount = batchCount;
        Evaluate = evaluate;
    }

    /// <summary>The network being trained.</summary>
    public Network<T> Network { get; }

    /// <summary>The network's flat parameters; their gradients hold <c>dL/dθ</c> of this batch (L2 included).</summary>
    public ParameterSet<T> Parameters { get; }

    /// <summary>The training options (loss, clipping, L2, seed).</summary>
    public TrainerOptions Options { get; }

    /// <summary>The optimiser, <see cref="TrainerOptions.Optimizer"/>; its learning rate is already set for this batch.</summary>
    public IOptimizer Optimizer => Options.Optimizer;

    /// <summary>Epoch number, from 1.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Batch number within the epoch, from 1.</summary>
    public int Batch { get; internal set; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>Rows in this batch; 0 when the sampler gave this worker no rows (then the gradients are zero).</summary>
    public int Rows { get; internal set; }

    /// <summary>The batch inputs, <c>[Rows x Network.InputSize]</c> column-major.</summary>
    public ReadOnlyMemory<T> Inputs { get; internal set; }

    /// <summary>The batch targets, <c>[Rows x targets]</c> column-major.</summary>
    public ReadOnlyMemory<T> Targets { get; internal set; }

    /// <summary>The training rows (indices into the training data) that form this batch, in batch order.</summary>
    public ReadOnlyMemory<int> RowIndices { get; internal set; }

    /// <summary>The batch-mean loss before the step, L2 penalty included (0 for an empty batch).</summary>
    public T Loss { get; internal set; }

    /// <summary>The learning rate the schedule chose for this batch (already set on <see cref="Optimizer"/>).</summary>
    public double LearningRate { get; internal set; }

    /// <summary>For full-batch optimisers (<see cref="IOptimizer.RequiresFullBatch"/>): recomputes loss and gradients
    /// of the batch at the current weights, for line searches. Null otherwise.</summary>
    public Func<T>? Evaluate { get; }

    /// <summary>Applies <see cref="TrainerOptions.GradientClipNorm"/> (global norm) when it is set and the optimiser is
    /// a mini-batch one; does nothing otherwise.</summary>
    /// <returns>Whether the gradients were scaled.</returns>
    public bool ClipGradients() =>
        !Optimizer.RequiresFullBatch && Options.GradientClipNorm is { } clip && Parameters.ClipGradients(clip);
}
