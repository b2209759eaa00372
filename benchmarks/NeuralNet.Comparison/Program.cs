using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>
/// NeuralNet against TorchSharp (libtorch) and ONNX Runtime in one process:
/// <c>bash benchmarks/NeuralNet.Comparison/run.sh [--quick] [--rounds N] [--no-check | --check-only] [--cnn-rows N] [--filter NAME...]</c>.
/// Runs the one-epoch training check, then each benchmark class, every contender of a class in the same
/// BenchmarkDotNet run with TorchSharp as the baseline (Ratio column). In-process toolchain: the patched native
/// libraries in this output folder are the ones loaded (see weaken_glibcxx.py).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var rest = new List<string>();
        var filters = new List<string>();
        bool quick = false, check = true, checkOnly = false;
        int rounds = 1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--no-check": check = false; break;
                case "--check-only": checkOnly = true; break;
                case "--filter":
                    while (i + 1 < args.Length && !args[i + 1].StartsWith('-'))
                    {
                        filters.Add(args[++i].Trim('*'));
                    }

                    break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--cnn-rows": Settings.CnnRows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: rest.Add(args[i]); break;
            }
        }

        // The inter-op pool can only be sized before torch first uses it.
        torch.set_num_interop_threads(1);
        Console.WriteLine($"// TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, ONNX Runtime {typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version}; {Environment.ProcessorCount} logical CPUs; {(quick ? "quick" : "full")} run");
        if (check)
        {
            TrainingCheck.Run();
        }

        if (checkOnly)
        {
            return 0;
        }

        // An epoch is long (0.5 to 5 s): one invocation per iteration, no pilot stage.
        Job epochJob = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithInvocationCount(1).WithUnrollFactor(1)
            .WithWarmupCount(1)
            .WithIterationCount(quick ? 3 : 9)
            .WithId(quick ? "Epoch-quick" : "Epoch");
        Job latencyJob = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 2 : 5)
            .WithIterationCount(quick ? 5 : 15)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250))
            .WithId(quick ? "Latency-quick" : "Latency");

        // Rounds alternate the contenders in time (A B, A B, ...), so a burst of load from other jobs cannot land on
        // one contender's whole block of iterations.
        var summary = new RoundSummary();
        for (int round = 1; round <= rounds; round++)
        {
            foreach ((Type type, Job job) in new[]
                     {
                         (typeof(MlpEpochBenchmarks), epochJob),
                         (typeof(MlpForwardBackwardBenchmarks), epochJob),
                         (typeof(CnnEpochBenchmarks), epochJob),
                         (typeof(PredictLatencyBenchmarks), latencyJob),
                     })
            {
                if (filters.Count > 0 && !filters.Exists(f => type.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                IConfig config = ManualConfig.Create(DefaultConfig.Instance)
                    .AddJob(job)
                    .AddColumn(StatisticColumn.Median)
                    .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
                summary.Add(BenchmarkRunner.Run(type, config, rest.ToArray()));
            }
        }

        summary.Print(rounds);
        return 0;
    }
}
