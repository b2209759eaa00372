using System.Numerics;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>A checkpoint read by <see cref="Checkpoint.Load{T}"/>: the model as trained so far, the optimiser's state,
/// the learning-rate schedule's and early stopping's states (when saved), and the number of epochs completed. The network's dropout layers already have their random streams restored.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingCheckpoint<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal TrainingCheckpoint(SavedModel<T> model, OptimizerState optimizerState, int epochsCompleted, string? scheduleName, IReadOnlyList<double>? scheduleState, EarlyStoppingState? earlyStopping)
    {
        Model = model;
        OptimizerState = optimizerState;
        EpochsCompleted = epochsCompleted;
        ScheduleName = scheduleName;
        ScheduleState = scheduleState;
        EarlyStopping = earlyStopping;
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

    /// <summary>The type name of the saved learning-rate schedule (e.g. <c>ReduceOnPlateau</c>), or null when the
    /// checkpoint was written without one.</summary>
    public string? ScheduleName { get; }

    /// <summary>The saved <see cref="ILearningRateSchedule.ExportState"/> (values may be infinite), or null when the
    /// checkpoint was written without a schedule.</summary>
    public IReadOnlyList<double>? ScheduleState { get; }

    /// <summary>Early stopping's progress after <see cref="EpochsCompleted"/> epochs, or null when the checkpoint was
    /// written without it; pass it to the trainer's <c>Fit</c> as <c>earlyStopping</c> together with
    /// <c>initialEpoch</c>.</summary>
    public EarlyStoppingState? EarlyStopping { get; }

    /// <summary>Loads the saved schedule state into <paramref name="schedule"/>, which must be of the same type (and
    /// should have the same settings) as the one checkpointed. A checkpoint without a schedule restores nothing into a
    /// stateless schedule.</summary>
    /// <param name="schedule">A fresh schedule of the checkpointed type.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schedule"/> is of another type than the one saved.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint holds no schedule state and
    /// <paramref name="schedule"/> keeps some.</exception>
    /// <exception cref="InvalidDataFileException">The schedule rejects the saved state (e.g. a scale outside (0, 1]);
    /// the inner exception says why.</exception>
    public void RestoreSchedule(ILearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        string kind = schedule.GetType().Name;
        if (ScheduleName is null || ScheduleState is null)
        {
            if (schedule.ExportState().Count != 0)
            {
                throw new InvalidOperationException($"The checkpoint was written without a schedule, so it holds no state for the stateful '{kind}'.");
            }

            return;
        }

        if (kind != ScheduleName)
        {
            throw new ArgumentException($"The checkpoint holds the state of a '{ScheduleName}' schedule; received '{kind}'.", nameof(schedule));
        }

        try
        {
            schedule.ImportState(ScheduleState);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"The checkpoint's {ScheduleName} state is invalid: {e.Message}", e);
        }
    }
}
