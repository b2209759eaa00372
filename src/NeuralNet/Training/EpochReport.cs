using System.Text;

namespace NeuralNet.Training;

/// <summary>What happened in one epoch.</summary>
/// <param name="Epoch">The epoch's number, from 1.</param>
/// <param name="Loss">Mean training loss over the epoch's batches (weighted by batch length, L2 penalty included).</param>
/// <param name="ValidationLoss">Loss on the validation set at the end of the epoch (inference mode, L2 penalty
/// included), or null without validation data.</param>
/// <param name="Metrics">Metric values at the end of the epoch: training ones by name, validation ones prefixed
/// <c>val_</c>.</param>
/// <param name="LearningRate">The rate of the epoch's last batch.</param>
/// <param name="Elapsed">Wall-clock time of the epoch, evaluation included.</param>
/// <param name="Health">Diagnostics when <see cref="TrainerOptions.HealthMonitor"/> is on, else null.</param>
public readonly record struct EpochReport(
    int Epoch,
    double Loss,
    double? ValidationLoss,
    IReadOnlyDictionary<string, double> Metrics,
    double LearningRate,
    TimeSpan Elapsed,
    HealthReport? Health)
{
    /// <summary>The values, e.g. <c>epoch 3: loss 0.3012, val_loss 0.3321, accuracy 0.9, val_accuracy 0.88, lr 0.001, 12 ms</c>
    /// (4 significant digits, invariant culture), then the health hints when there are any.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("epoch ").Append(Epoch).Append(": loss ").Append(ReportFormat.Number(Loss));
        if (ValidationLoss is { } validation)
        {
            text.Append(", val_loss ").Append(ReportFormat.Number(validation));
        }

        ReportFormat.AppendMetrics(text, Metrics);
        text.Append(", lr ").Append(ReportFormat.Number(LearningRate)).Append(", ").Append(Math.Round(Elapsed.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" ms");
        if (Health is { Hints.Count: > 0 } health)
        {
            text.Append("; ").Append(string.Join("; ", health.Hints));
        }

        return text.ToString();
    }
}
