namespace NeuralNet.Schedules;

/// <summary>
/// A learning-rate schedule: the trainer asks it for the rate before every batch, giving the training progress in
/// epochs (<c>2.5</c> = half-way through the third epoch), and tells it each epoch's monitored value (for
/// <see cref="ReduceOnPlateau"/>).
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
}
