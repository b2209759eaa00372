using System.Text;

namespace NeuralNet.Training;

/// <summary>Per-epoch diagnostics of the health monitor (<see cref="TrainerOptions.HealthMonitor"/>).</summary>
/// <param name="Layers">One entry per layer.</param>
/// <param name="MaxAbsInput">The largest <c>|x|</c> in the training inputs.</param>
/// <param name="Hints">Plain-language warnings, e.g. <c>inputs look unscaled: max |x| = 255</c>; empty when all looks well.</param>
public sealed record HealthReport(IReadOnlyList<LayerHealth> Layers, double MaxAbsInput, IReadOnlyList<string> Hints)
{
    /// <summary>One line per layer with its gradient norm, update ratio and dead or saturated fraction, then the hints,
    /// e.g. <c>layer 0 dense(relu): grad 0.01234, update/weight 0.001, dead 0.05</c> (4 significant digits).</summary>
    public override string ToString()
    {
        var text = new StringBuilder("max |x| ").Append(ReportFormat.Number(MaxAbsInput));
        foreach (LayerHealth layer in Layers)
        {
            text.AppendLine().Append("layer ").Append(layer.LayerIndex).Append(' ').Append(layer.Layer)
                .Append(": grad ").Append(ReportFormat.Number(layer.GradientNorm))
                .Append(", update/weight ").Append(ReportFormat.Number(layer.UpdateToWeightRatio));
            if (layer.DeadFraction is { } dead)
            {
                text.Append(", dead ").Append(ReportFormat.Number(dead));
            }

            if (layer.SaturatedFraction is { } saturated)
            {
                text.Append(", saturated ").Append(ReportFormat.Number(saturated));
            }
        }

        foreach (string hint in Hints)
        {
            text.AppendLine().Append("hint: ").Append(hint);
        }

        return text.ToString();
    }
}
