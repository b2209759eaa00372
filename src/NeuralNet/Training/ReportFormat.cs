using System.Globalization;
using System.Text;

namespace NeuralNet.Training;

/// <summary>The text of the reports' <c>ToString()</c>: <c>name value</c> pairs, invariant culture, 4 significant digits.</summary>
internal static class ReportFormat
{
    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Appends <c>, name value</c> for every metric, in the dictionary's order.</summary>
    public static void AppendMetrics(StringBuilder text, IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        foreach (KeyValuePair<string, double> metric in metrics)
        {
            text.Append(", ").Append(metric.Key).Append(' ').Append(Number(metric.Value));
        }
    }
}
