using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Whether two cores each keep one core's speed on work that shares nothing: a read loop over a buffer of the thread's
/// own (256 KiB: in its L2) and <see cref="FmaPeak"/>'s independent fused multiply-adds, on one thread and then on two at once, in
/// turn for several rounds; prints the medians and the ratio per core. Work that shares no data scales with the cores
/// when this reads near 1.0, so what a split product loses beyond that is the data crossing between the cores.
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --scaling-probe [rounds]</c>.
/// </summary>
public static unsafe class ScalingProbe
{
    private const int BufferBytes = 256 * 1024;

    public static void Run(int rounds)
    {
        var read1 = new double[rounds];
        var read2 = new double[rounds];
        var fma1 = new double[rounds];
        var fma2 = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            read1[round] = PerThread(1, fma: false);
            read2[round] = PerThread(2, fma: false);
            fma1[round] = PerThread(1, fma: true);
            fma2[round] = PerThread(2, fma: true);
        }

        Array.Sort(read1);
        Array.Sort(read2);
        Array.Sort(fma1);
        Array.Sort(fma2);
        int m = rounds / 2;
        Console.WriteLine($"read of a private {BufferBytes / 1024} KiB buffer, GB/s per core: 1 thread {read1[m] / 1e9:F1}, 2 threads {read2[m] / 1e9:F1} ({read2[m] / read1[m]:F3})");
        Console.WriteLine($"independent FMA, GFLOP/s per core:           1 thread {fma1[m] / 1e9:F1}, 2 threads {fma2[m] / 1e9:F1} ({fma2[m] / fma1[m]:F3})");
    }

    /// <summary>The mean rate per thread of <paramref name="threads"/> threads started together (bytes or flops per second).</summary>
    private static double PerThread(int threads, bool fma)
    {
        var rates = new double[threads];
        using var start = new Barrier(threads);
        var running = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            running[t] = new Thread(() =>
            {
                int floats = BufferBytes / sizeof(float);
                float* buffer = (float*)NativeMemory.AlignedAlloc(BufferBytes, 64);
                try
                {
                    new Span<float>(buffer, floats).Fill(1f);
                    start.SignalAndWait();
                    long began = Stopwatch.GetTimestamp();
                    rates[id] = fma ? FmaPeak.Rate(FmaPeak.VectorBits, isDouble: false) * 1e9 : Read(buffer, floats, 1_000) / Stopwatch.GetElapsedTime(began).TotalSeconds;
                }
                finally
                {
                    NativeMemory.AlignedFree(buffer);
                }
            });
            running[t].Start();
        }

        foreach (Thread thread in running)
        {
            thread.Join();
        }

        return rates.Average();
    }

    /// <summary>Sums the buffer <paramref name="reps"/> times with four accumulators of the widest vectors; returns the
    /// bytes read.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Read(float* p, int n, int reps)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int r = 0; r < reps; r++)
            {
                for (int i = 0; i + 64 <= n; i += 64)
                {
                    a0 += Vector512.Load(p + i);
                    a1 += Vector512.Load(p + i + 16);
                    a2 += Vector512.Load(p + i + 32);
                    a3 += Vector512.Load(p + i + 48);
                }
            }

            GC.KeepAlive(Vector512.Sum(a0 + a1 + a2 + a3));
        }
        else
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int r = 0; r < reps; r++)
            {
                for (int i = 0; i + 32 <= n; i += 32)
                {
                    a0 += Vector256.Load(p + i);
                    a1 += Vector256.Load(p + i + 8);
                    a2 += Vector256.Load(p + i + 16);
                    a3 += Vector256.Load(p + i + 24);
                }
            }

            GC.KeepAlive(Vector256.Sum(a0 + a1 + a2 + a3));
        }

        return (double)reps * n * sizeof(float);
    }
}
