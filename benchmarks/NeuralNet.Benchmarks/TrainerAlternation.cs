#if HAS_BASELINE
extern alias Baseline;

using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The reference epoch of <see cref="TrainerBeforeAfterBenchmarks"/> timed round by round, alternating the baseline
/// trainer, the current trainer and forward + backward alone (as <see cref="EpochBenchmarks"/>), so a change in the
/// machine's load falls on all three alike; prints wall and CPU time per epoch and the median of the per-round ratios.
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --alternate [rounds] [epochsPerFit]</c>.
/// </summary>
public static class TrainerAlternation
{
    public static void Run(int rounds, int epochsPerFit)
    {
        const int Rows = Synthetic.ReferenceRows;
        (Matrix<float> x, Matrix<float> y) = Synthetic.ReferenceData();
        Network<float> network = Synthetic.ReferenceNetwork();
        var trainer = new Trainer<float>(new TrainerOptions { Epochs = epochsPerFit, BatchSize = 128, Optimizer = new Adam(1e-3), Loss = Loss.SparseCategoricalCrossEntropy });
        B.Network<float> baselineNetwork = BaselineSynthetic.ReferenceNetwork<float>();
        var baselineTrainer = new B.Training.Trainer<float>(new B.Training.TrainerOptions
        {
            Epochs = epochsPerFit, BatchSize = 128, Optimizer = new B.Optimizers.Adam(1e-3), Loss = B.Losses.Loss.SparseCategoricalCrossEntropy,
        });
        int batches = (Rows + EpochBenchmarks.Batch - 1) / EpochBenchmarks.Batch;
        var bx = new float[batches][];
        var by = new float[batches][];
        for (int i = 0; i < batches; i++)
        {
            int rows = Math.Min(EpochBenchmarks.Batch, Rows - i * EpochBenchmarks.Batch);
            bx[i] = Synthetic.Gaussian(rows * 784, 100 + i);
            by[i] = Synthetic.OneHot(rows, 10, i);
        }

        var before = new List<(double Wall, double Cpu)>();
        var after = new List<(double Wall, double Cpu)>();
        var compute = new List<(double Wall, double Cpu)>();
        for (int round = 0; round <= rounds; round++)
        {
            ((double Wall, double Cpu) b, (double Wall, double Cpu) a) = InTurn.Run(
                round,
                () => Time(() => baselineTrainer.Fit(baselineNetwork, x, y), epochsPerFit),
                () => Time(() => trainer.Fit(network, x, y), epochsPerFit));
            (double Wall, double Cpu) f = Time(() =>
            {
                for (int i = 0; i < batches; i++)
                {
                    network.ComputeGradients(bx[i], by[i], by[i].Length / 10, Loss.CategoricalCrossEntropy);
                }
            }, 1);
            if (round == 0)
            {
                continue; // warm-up: compilation and the first fit's fresh buffers
            }

            before.Add(b);
            after.Add(a);
            compute.Add(f);
            Console.WriteLine($"round {round}: before {b.Wall:F0} ms (CPU {b.Cpu:F0}), after {a.Wall:F0} ms (CPU {a.Cpu:F0}), forward+backward {f.Wall:F0} ms (CPU {f.Cpu:F0})");
        }

        Console.WriteLine($"median per epoch: before {Median(before, r => r.Wall):F1} ms, after {Median(after, r => r.Wall):F1} ms, forward+backward {Median(compute, r => r.Wall):F1} ms");
        Console.WriteLine($"median of per-round ratios (wall): after/before {Ratio(after, before, r => r.Wall):F3}, after/forward+backward {Ratio(after, compute, r => r.Wall):F3}");
        Console.WriteLine($"median of per-round ratios (CPU):  after/before {Ratio(after, before, r => r.Cpu):F3}, after/forward+backward {Ratio(after, compute, r => r.Cpu):F3}");
    }

    private static (double Wall, double Cpu) Time(Action action, int epochs)
    {
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        return (wall / epochs, cpu / epochs);
    }

    private static double Median(List<(double Wall, double Cpu)> runs, Func<(double Wall, double Cpu), double> pick)
    {
        var values = new double[runs.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = pick(runs[i]);
        }

        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double Ratio(List<(double Wall, double Cpu)> top, List<(double Wall, double Cpu)> bottom, Func<(double Wall, double Cpu), double> pick)
    {
        var ratios = new List<(double Wall, double Cpu)>();
        for (int i = 0; i < top.Count; i++)
        {
            double r = pick(top[i]) / pick(bottom[i]);
            ratios.Add((r, r));
        }

        return Median(ratios, r => r.Wall);
    }
}
#endif
