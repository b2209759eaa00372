using System.Numerics;
using NeuralNet.Optimizers;

namespace NeuralNet.Serialization;

/// <summary>A checkpoint read by <see cref="Checkpoint.Load{T}"/>: the model as trained so far, the optimiser's state,
/// and the number of epochs completed. The network's dropout layers already have their random streams restored.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingCheckpoint<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal TrainingCheckpoint(SavedModel<T> model, OptimizerState optimizerState, int epochsCompleted)
    {
        Model = model;
        OptimizerState = optimizerState;
        EpochsCompleted = epochsCompleted;
    }

    /// <summary>The model (network, scaler, labels, metadata).</summary>
    public SavedModel<T> Model { get; }

    /// <summary>The network, shortcut for <c>Model.Network</c>.</summary>
    public Network<T> Network => Model.Network;

    /// <summary>The optimiser state at the time of the checkpoint.</summary>
    public OptimizerState OptimizerState { get; }

    /// <summary>Epochs completed when the checkpoint was written; pass it as the trainer's <c>initialEpoch</c> to resume.</summary>
    public int EpochsCompleted { get; }

    /// <summary>Loads the saved state into <paramref name="optimizer"/>, which must be of the same kind (and should have
    /// the same settings) as the one checkpointed.</summary>
    /// <param name="optimizer">A fresh optimiser of the checkpointed kind.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="optimizer"/> is of another kind.</exception>
    public void RestoreOptimizer(IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.Name != OptimizerState.Optimizer)
        {
            throw new ArgumentException($"The checkpoint holds the state of a '{OptimizerState.Optimizer}' optimiser; received '{optimizer.Name}'.", nameof(optimizer));
        }

        optimizer.ImportState(OptimizerState);
    }
}
