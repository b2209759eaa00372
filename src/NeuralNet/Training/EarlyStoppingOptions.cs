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

    /// <summary>When true, the best value follows every improvement, however small, while only an improvement by more
    /// than <see cref="MinDelta"/> resets the patience: scikit-learn's rule, under which a loss creeping down by less than
    /// <c>tol</c> an epoch stalls. When false (default, Keras' rule), the best value moves only on an improvement by more
    /// than <see cref="MinDelta"/>, so small gains add up.</summary>
    public bool BestFollowsEveryImprovement { get; init; }

    /// <summary>scikit-learn's stop for <c>MLPClassifier</c>/<c>MLPRegressor</c> without <c>early_stopping</c>: training
    /// ends once the training loss has not dropped by more than <paramref name="tol"/> below the best loss so far for more
    /// than <paramref name="nIterNoChange"/> consecutive epochs (monitor <c>loss</c>, <see cref="MinDelta"/> = tol,
    /// <see cref="Patience"/> = nIterNoChange + 1, <see cref="BestFollowsEveryImprovement"/>, the last weights kept).</summary>
    /// <param name="tol">scikit-learn's <c>tol</c>, non-negative. Default 1e-4.</param>
    /// <param name="nIterNoChange">scikit-learn's <c>n_iter_no_change</c>, at least 1. Default 10.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static EarlyStoppingOptions WhenTrainingLossStalls(double tol = 1e-4, int nIterNoChange = 10)
    {
        ThrowHelper.ThrowIfNegativeOrNotFinite(tol, nameof(tol));
        ThrowHelper.ThrowIfNotPositive(nIterNoChange, nameof(nIterNoChange));
        return new EarlyStoppingOptions
        {
            Monitor = "loss", MinDelta = tol, Patience = nIterNoChange + 1, RestoreBestWeights = false, BestFollowsEveryImprovement = true,
        };
    }

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
