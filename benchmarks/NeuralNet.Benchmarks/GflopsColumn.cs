using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>
/// GFLOP/s from the median time (2 flops per multiply-add), or that rate as a percentage of this machine's FMA peak
/// measured at start-up (<see cref="FmaPeak"/>: 512-bit where the CPU has AVX-512, else 256-bit), per core, times the
/// benchmark's thread count.
/// </summary>
public sealed class GflopsColumn(bool percentOfPeak) : IColumn
{

    public string Id => percentOfPeak ? "PercentOfPeak" : "GFlops";
    public string ColumnName => percentOfPeak ? "% of peak" : "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => percentOfPeak ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => percentOfPeak
        ? $"GFLOP/s as % of threads x per-core FMA peak measured at start-up ({FmaPeak.VectorBits}-bit: {FmaPeak.SinglePerCore:F0} FP32, {FmaPeak.DoublePerCore:F0} FP64)"
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

        double peak = (Work.IsDouble(benchmarkCase) ? FmaPeak.DoublePerCore : FmaPeak.SinglePerCore) * Work.Threads(benchmarkCase);
        return (100 * gflops / peak).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + "%";
    }
}
