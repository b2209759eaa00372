namespace NeuralNet.Schedules;

/// <summary>
/// A learning-rate schedule: the trainer asks it for the rate before every batch, giving the training progress in
/// epochs (<c>2.5</c> = half-way through the third epoch), and tells it each epoch's monitored value (for
/// <see cref="ReduceOnPlateau"/>). A stateful schedule exports its state with <see cref="ExportState"/> and takes it back
/// with <see cref="ImportState"/>, so a checkpoint (<c>Serialization.Checkpoint</c>) can resume it bit-exactly.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="progress"/> epochs into training.</summary>
    /// <param name="baseRate">The optimiser's rate when training started.</param>
    /// <param name="progress">Epochs completed, fractional within an epoch (0 at the first batch).</param>
    double GetLearningRate(double baseRate, double progress);

    /// <summary>Called after each epoch with the value of the early-stopping monitor (validation loss when there is a
    /// validation set, training loss otherwise). Stateless schedules ignore it.</summary>
    /// <param name="epoch">The epoch just finished (0-based).</param>
    /// <param name="monitored">The monitored value (lower is better).</param>
    void OnEpochEnd(int epoch, double monitored)
    {
    }

    /// <summary>Forgets any state; the trainer calls it when a fit starts from epoch 0.</summary>
    void Reset()
    {
    }

    /// <summary>The schedule's state as numbers (empty for a stateless schedule); <see cref="ImportState"/> takes it
    /// back. Values may be infinite (e.g. <see cref="ReduceOnPlateau"/>'s best value before the first epoch), never NaN.</summary>
    /// <returns>A fresh list; later epochs do not change it.</returns>
    IReadOnlyList<double> ExportState() => [];

    /// <summary>Restores a state produced by <see cref="ExportState"/> of a schedule of the same kind.</summary>
    /// <param name="state">The exported values; must be empty for a stateless schedule.</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="state"/> is not a valid state of this schedule.</exception>
    void ImportState(IReadOnlyList<double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 0)
        {
            throw new ArgumentException($"{GetType().Name} keeps no state; received {state.Count} values.", nameof(state));
        }
    }
}
