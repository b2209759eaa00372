namespace NeuralNet.Training;

/// <summary>The record of a fit: one <see cref="EpochReport"/> per completed epoch, why it stopped, and the best epoch
/// when early stopping was on.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochReport> _epochs = [];

    internal TrainingHistory()
    {
    }

    /// <summary>The completed epochs, in order (a partial epoch cut short by cancellation is not listed).</summary>
    public IReadOnlyList<EpochReport> Epochs => _epochs;

    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; internal set; }

    /// <summary>Batches completed in total (full and partial epochs), useful after a cancellation.</summary>
    public long BatchesCompleted { get; internal set; }

    /// <summary>The epoch number (from 1) with the best monitored value, when early stopping was configured.</summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>The best monitored value, when early stopping was configured.</summary>
    public double? BestValue { get; internal set; }

    /// <summary>Training loss per epoch.</summary>
    public double[] Loss => Select(static r => r.Loss);

    /// <summary>Validation loss per epoch (NaN where there was none).</summary>
    public double[] ValidationLoss => Select(static r => r.ValidationLoss ?? double.NaN);

    /// <summary>A metric per epoch by its report name (e.g. <c>accuracy</c>, <c>val_accuracy</c>), in any case or by an
    /// alias <see cref="Metrics.Metric.FromName"/> knows (<c>R2</c>, <c>val_mean_squared_error</c>).</summary>
    /// <param name="name">The report name.</param>
    /// <exception cref="KeyNotFoundException">No epoch reported that metric.</exception>
    public double[] Metric(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_epochs.Count > 0 && !_epochs[0].Metrics.ContainsKey(name))
        {
            bool validation = name.StartsWith("val_", StringComparison.OrdinalIgnoreCase);
            string? canonical = Metrics.Metric.TryCanonicalName(validation ? name[4..] : name);
            if (canonical is not null)
            {
                name = (validation ? "val_" : "") + canonical;
            }
        }

        if (_epochs.Count == 0 || !_epochs[0].Metrics.ContainsKey(name))
        {
            throw new KeyNotFoundException($"No metric '{name}' in the history; reported: {(_epochs.Count == 0 ? "none" : string.Join(", ", _epochs[0].Metrics.Keys))}.");
        }

        return Select(r => r.Metrics[name]);
    }

    /// <summary>A summary: epochs run, why training stopped, the best epoch when early stopping was on, and the last
    /// epoch's values, e.g. <c>3 epochs, Completed; last: epoch 3: loss 0.3012, accuracy 0.9, lr 0.001, 12 ms</c>.</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder().Append(_epochs.Count).Append(_epochs.Count == 1 ? " epoch, " : " epochs, ").Append(StopReason);
        if (BestEpoch is { } best)
        {
            text.Append("; best epoch ").Append(best).Append(" (").Append(ReportFormat.Number(BestValue ?? double.NaN)).Append(')');
        }

        if (_epochs.Count > 0)
        {
            text.Append("; last: ").Append(_epochs[^1].ToString());
        }

        return text.ToString();
    }

    internal void Add(EpochReport report) => _epochs.Add(report);

    private double[] Select(Func<EpochReport, double> read)
    {
        var values = new double[_epochs.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(_epochs[i]);
        }

        return values;
    }
}
