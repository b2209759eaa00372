using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>
/// GFLOP/s from the median time (2 flops per multiply-add), or that rate as a percentage of this machine's
/// measured FMA peak: 99 GFLOP/s FP32 and 49.5 GFLOP/s FP64 per core, times the benchmark's thread count.
/// </summary>
public sealed class GflopsColumn(bool percentOfPeak) : IColumn
{
    public const double PeakSinglePerCore = 99.0;
    public const double PeakDoublePerCore = 49.5;

    public string Id => percentOfPeak ? "PercentOfPeak" : "GFlops";
    public string ColumnName => percentOfPeak ? "% of peak" : "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => percentOfPeak ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => percentOfPeak
        ? "GFLOP/s as % of threads x per-core FMA peak (99 FP32, 49.5 FP64)"
        : "Floating-point operations per second from the median, 2 per multiply-add";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        double? flops = Work.Flops(benchmarkCase);
        if (report?.ResultStatistics is null || flops is null)
        {
            return "-";
        }

        double gflops = flops.Value / report.ResultStatistics.Median; // flops per ns = GFLOP/s
        if (!percentOfPeak)
        {
            return gflops.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }

        double peak = (Work.IsDouble(benchmarkCase) ? PeakDoublePerCore : PeakSinglePerCore) * Work.Threads(benchmarkCase);
        return (100 * gflops / peak).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + "%";
    }
}
