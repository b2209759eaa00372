using BenchmarkDotNet.Reports;

namespace NeuralNet.Comparison;

/// <summary>Collects each round's BenchmarkDotNet summaries and prints, per benchmark, the median over rounds of its
/// median and of its ratio to the TorchSharp median of the same class and round.</summary>
public sealed class RoundSummary
{
    private readonly List<(string Type, string Method, double Median, double Ratio)> _rows = [];

    /// <summary>Adds one class's summary of one round.</summary>
    public void Add(Summary summary)
    {
        double baseline = double.NaN;
        foreach (BenchmarkReport report in summary.Reports)
        {
            if (report.BenchmarkCase.Descriptor.Baseline)
            {
                baseline = report.ResultStatistics?.Median ?? double.NaN;
            }
        }

        foreach (BenchmarkReport report in summary.Reports)
        {
            double median = report.ResultStatistics?.Median ?? double.NaN;
            _rows.Add((report.BenchmarkCase.Descriptor.Type.Name, report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo, median, median / baseline));
        }
    }

    /// <summary>Prints one line per benchmark: median of the medians, median of the ratios, and each round's ratio.</summary>
    public void Print(int rounds)
    {
        Console.WriteLine($"// Over {rounds} round(s): median of the medians, median of the ratios to TorchSharp (per round):");
        var seen = new HashSet<(string, string)>();
        foreach (var row in _rows)
        {
            if (!seen.Add((row.Type, row.Method)))
            {
                continue;
            }

            var medians = new List<double>();
            var ratios = new List<double>();
            foreach (var other in _rows)
            {
                if (other.Type == row.Type && other.Method == row.Method)
                {
                    medians.Add(other.Median);
                    ratios.Add(other.Ratio);
                }
            }

            string perRound = string.Join(" ", ratios.ConvertAll(r => r.ToString("F2")));
            Console.WriteLine($"//   {row.Type,-30} {row.Method,-75} {Format(Median(medians)),12}  {Median(ratios),6:F2}  ({perRound})");
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n == 0 ? double.NaN : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static string Format(double nanoseconds) =>
        nanoseconds >= 1e9 ? $"{nanoseconds / 1e9:F3} s" : nanoseconds >= 1e6 ? $"{nanoseconds / 1e6:F1} ms" : nanoseconds >= 1e3 ? $"{nanoseconds / 1e3:F2} us" : $"{nanoseconds:F0} ns";
}
