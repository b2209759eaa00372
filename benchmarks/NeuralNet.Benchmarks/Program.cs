using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*'</c>
/// (<c>-- predict-alternated</c>, <c>-- --alternate</c>, <c>-- --cnn-alternate</c>, <c>-- --forward-alternate</c>,
/// <c>-- --setup-alternate</c> and <c>-- --gemm-alternate</c> run <c>PredictAlternated</c>, <c>TrainerAlternation</c>,
/// <c>CnnAlternation</c>, <c>ForwardAlternation</c>, <c>SetupAlternation</c> and <c>GemmAlternation</c> instead, when
/// the baseline DLL is present; <c>-- --scaling-probe</c> runs <c>ScalingProbe</c>, which needs none).
/// Short in-process jobs (1 launch, 2 warm-ups, 5 measured iterations of about 150 ms) keep the whole suite to a few
/// minutes; the Median, GFLOP/s and % of peak columns are added to every table.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
#if HAS_BASELINE
        if (args.Length > 0 && args[0] == "predict-alternated")
        {
            PredictAlternated.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 400);
            return;
        }

        if (args.Length > 0 && args[0] == "--forward-alternate")
        {
            ForwardAlternation.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200);
            return;
        }

        if (args.Length > 0 && args[0] == "--cnn-alternate")
        {
            CnnAlternation.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6);
            return;
        }

        if (args.Length > 0 && args[0] == "--setup-alternate")
        {
            SetupAlternation.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 9, args.Length > 2 && args[2] == "split");
            return;
        }

        if (args.Length > 0 && args[0] == "--alternate")
        {
            TrainerAlternation.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
            return;
        }

#endif
        Console.WriteLine($"// FMA peak per core, measured: {FmaPeak.SinglePerCore:F1} GFLOP/s FP32, {FmaPeak.DoublePerCore:F1} GFLOP/s FP64 ({FmaPeak.VectorBits}-bit vectors)");
        if (args.Length > 0 && args[0] == "--scaling-probe")
        {
            ScalingProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 9);
            return;
        }

#if HAS_BASELINE
        if (args.Length > 0 && args[0] == "--gemm-alternate")
        {
            GemmAlternation.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1, args.Length > 2 ? args[2..] : null);
            return;
        }
#endif
        Job job = Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("Short");
        IConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddColumn(StatisticColumn.Median, new GflopsColumn(percentOfPeak: false), new GflopsColumn(percentOfPeak: true));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
