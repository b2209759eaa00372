namespace NeuralNet.Training;

/// <summary>
/// Stops training when the monitored value has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs (Keras' <c>EarlyStopping</c>).
/// </summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>What to watch: <c>loss</c>, <c>val_loss</c>, or a metric name from <see cref="TrainerOptions.Metrics"/>,
    /// optionally prefixed <c>val_</c> (e.g. <c>val_accuracy</c>). Losses and error metrics must decrease, accuracy-like
    /// metrics increase. Default <c>val_loss</c>.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Epochs without improvement before stopping, at least 1. Default 10.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Smallest change that counts as an improvement, non-negative. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>When true (default), the network ends with the weights (and batch-norm statistics) of the best epoch,
    /// whether training stopped early or ran all its epochs.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Monitor))
        {
            throw new ArgumentException("EarlyStopping.Monitor must name a loss or metric, e.g. \"val_loss\".", nameof(Monitor));
        }

        ThrowHelper.ThrowIfNotPositive(Patience, nameof(Patience));
        ThrowHelper.ThrowIfNegativeOrNotFinite(MinDelta, nameof(MinDelta));
    }
}
