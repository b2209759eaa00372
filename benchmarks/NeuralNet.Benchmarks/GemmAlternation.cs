#if HAS_BASELINE
extern alias Baseline;

using System.Diagnostics;
using System.Numerics;
using NeuralNet.Kernels;
using B = Baseline::NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <see cref="GemmBeforeAfterBenchmarks{T}"/>'s products timed with the two builds strictly alternated (41 rounds of
/// before, after; a few products per sample), for a machine whose load moves faster than a BenchmarkDotNet case
/// lasts: <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --gemm-alternate THREADS [SHAPE ...]</c>,
/// shapes as <see cref="GemmShape"/> reads them (default: the three products of a 784-256 layer at batch 128 and
/// 1024^3; e.g. <c>"25088x288x64" "288x25088x64 A^T" "25088x64x288 B^T"</c> for the FashionCnn sample's second
/// convolution).
/// Prints median and best samples in GFLOP/s and as % of <c>threads x</c> the per-core peak <see cref="FmaPeak"/>
/// measured at start-up (it reads low when the machine is busy, so a best sample may pass 100%), and whether the two
/// builds gave the same bits.
/// </summary>
public static class GemmAlternation
{
    private const int Rounds = 41;
    private static readonly string[] DefaultShapes = ["128x784x256", "784x128x256 A^T", "128x256x784 B^T", "1024x1024x1024"];

    public static void Run(int threads, string[]? shapes = null)
    {
        shapes = shapes is { Length: > 0 } ? shapes : DefaultShapes;
        Gemm.MaxDegreeOfParallelism = threads;
        B.Gemm.MaxDegreeOfParallelism = threads;
        Run<float>(FmaPeak.SinglePerCore * threads, threads, shapes);
        Run<double>(FmaPeak.DoublePerCore * threads, threads, shapes);
    }

    private static void Run<T>(double peak, int threads, string[] shapes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (string shape in shapes)
        {
            (int m, int k, int n, bool ta, bool tb) = GemmShape.Parse(shape);
            var random = new Random(1);
            T[] a = Random<T>(m * k, random), b = Random<T>(k * n, random), before = new T[m * n], after = new T[m * n];
            int lda = ta ? k : m, ldb = tb ? n : k;
            double flops = 2.0 * m * n * k;
            int reps = Math.Max(1, (int)(3e8 / flops));
            var beforeTimes = new double[Rounds];
            var afterTimes = new double[Rounds];
            for (int round = 0; round < Rounds; round++)
            {
                (beforeTimes[round], afterTimes[round]) = InTurn.Run(
                    round,
                    () => Time(() => B.Gemm.Multiply(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, before, m), reps),
                    () => Time(() => Gemm.Multiply(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, after, m), reps));
            }

            Array.Sort(beforeTimes);
            Array.Sort(afterTimes);
            double Gflops(double seconds) => flops / seconds / 1e9;
            string Rate(double seconds) => $"{Gflops(seconds),6:F1} ({100 * Gflops(seconds) / peak,5:F1}%)";
            Console.WriteLine(
                $"{typeof(T).Name,-6} {shape,-16} threads {threads}: median {Rate(beforeTimes[Rounds / 2])} -> {Rate(afterTimes[Rounds / 2])} " +
                $"(x{beforeTimes[Rounds / 2] / afterTimes[Rounds / 2]:F2}), best {Rate(beforeTimes[0])} -> {Rate(afterTimes[0])}, " +
                $"same bits: {before.AsSpan().SequenceEqual(after)}");
        }
    }

    /// <summary>Seconds per call of <paramref name="product"/> over <paramref name="reps"/> calls.</summary>
    private static double Time(Action product, int reps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < reps; i++)
        {
            product();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds / reps;
    }

    /// <summary>Operands on 64-byte boundaries, as the library allocates parameters, activations and batches.</summary>
    private static T[] Random<T>(int length, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] values = NeuralNet.Kernels.AlignedArrays.Allocate<T>(length);
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        return values;
    }
}
#endif
