#if HAS_BASELINE
extern alias Baseline;

using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Single-sample Predict of the reference network, the current library against the baseline DLL, timed in alternation
/// so that both see the same load: rounds of 40 calls of each case in turn (the order rotating every round), the median
/// and 10th percentile of the per-call time per case. A plain read of the same weights (940 KB in float) is timed
/// beside them as the floor a memory-bound kernel can reach on this core at that moment.
/// <c>bash benchmarks/build-baseline.sh 3e4bb96</c>, then
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- predict-alternated [rounds]</c>.
/// </summary>
public static class PredictAlternated
{
    private const int CallsPerRound = 40;

    public static void Run(int rounds)
    {
        Gemm.MaxDegreeOfParallelism = 1;
        B.Kernels.Gemm.MaxDegreeOfParallelism = 1;
        Run<float>(rounds);
        Run<double>(rounds);
    }

    private static void Run<T>(int rounds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = new NetworkBuilder<T>(784).WithSeed(1)
            .AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(10, Activation.Softmax).Build();
        B.Network<T> baseline = BaselineSynthetic.ReferenceNetwork<T>();
        float[] gaussian = Synthetic.Gaussian(784, 7);
        var x = new T[784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateChecked(gaussian[i]);
        }

        T[] after = new T[10], before = new T[10];
        network.Predict(x, after);
        baseline.Predict(x, before);
        Matrix<T> row = Matrix<T>.Build.Dense(1, 784, x);
        var weights = new List<T[]>();
        foreach (Layers.Layer<T> layer in network.Layers)
        {
            foreach (Layers.Parameter<T> p in layer.Parameters)
            {
                weights.Add(p.Value.ToArray());
            }
        }

        (string Name, Action Act)[] cases =
        [
            ("span after", () => network.Predict(x, after)),
            ("span before", () => baseline.Predict(x, before)),
            ("matrix 1 row after", () => network.Predict(row)),
            ("matrix 1 row before", () => baseline.Predict(row)),
            ("read weights", () => after[0] = ReadAll(weights)),
        ];
        var times = new List<double>[cases.Length];
        for (int c = 0; c < cases.Length; c++)
        {
            times[c] = [];
            for (int i = 0; i < 1000; i++)
            {
                cases[c].Act();
            }
        }

        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < cases.Length; i++)
            {
                int c = (i + r) % cases.Length;
                long start = Stopwatch.GetTimestamp();
                for (int call = 0; call < CallsPerRound; call++)
                {
                    cases[c].Act();
                }

                times[c].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / CallsPerRound);
            }
        }

        network.Predict(x, after);
        baseline.Predict(x, before);
        Console.WriteLine($"{typeof(T).Name}, {rounds} rounds of {CallsPerRound} calls; outputs bit-identical to the baseline: {after.AsSpan().SequenceEqual(before)}");
        for (int c = 0; c < cases.Length; c++)
        {
            times[c].Sort();
            Console.WriteLine($"  {cases[c].Name,-20} median {Median(times[c]),7:F2} us   p10 {times[c][rounds / 10],7:F2} us");
        }

        Console.WriteLine($"  after / before, medians: span {Median(times[0]) / Median(times[1]):F3}, matrix 1 row {Median(times[2]) / Median(times[3]):F3}");
    }

    private static double Median(List<double> sorted) => sorted[sorted.Count / 2];

    private static T ReadAll<T>(List<T[]> arrays) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A 512-bit sum over every weight: the bytes single-sample Predict must read, with no other work.
        Vector512<T> acc0 = Vector512<T>.Zero, acc1 = acc0;
        T tail = T.Zero;
        int v = Vector512<T>.Count;
        foreach (T[] a in arrays)
        {
            int i = 0;
            for (; i + 2 * v <= a.Length; i += 2 * v)
            {
                acc0 += Vector512.Create(a.AsSpan(i, v));
                acc1 += Vector512.Create(a.AsSpan(i + v, v));
            }

            for (; i < a.Length; i++)
            {
                tail += a[i];
            }
        }

        return Vector512.Sum(acc0 + acc1) + tail;
    }
}
#endif
