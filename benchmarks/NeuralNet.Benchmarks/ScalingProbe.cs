using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Benchmarks;

/// <summary>
/// What two cores lose against one, in two parts, each alternated round by round and reported as medians.
/// <list type="number">
/// <item>Work that shares nothing: a read loop over a buffer of the thread's own (256 KiB: in its L2) and
/// <see cref="FmaPeak"/>'s independent fused multiply-adds, on one thread and on two at once. Near 1.0 per core means
/// the cores do not slow each other down by themselves.</item>
/// <item>The reference network's forward + backward (batch 128, 469 steps over 60 prepared batches) three ways: one
/// thread; two threads splitting every product (the library's way); and each thread its own half of the batch through
/// every layer on one thread, the two halves' gradients summed after (data-parallel training's way, which sums each
/// weight gradient in another order).</item>
/// </list>
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --scaling-probe [rounds]</c>.
/// </summary>
public static unsafe class ScalingProbe
{
    private const int BufferBytes = 256 * 1024;
    private const int Batch = 128, Half = Batch / 2, Inputs = 784, Classes = 10, Prepared = 60, Steps = 469;

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

        Console.WriteLine($"read of a private {BufferBytes / 1024} KiB buffer, GB/s per core: 1 thread {Median(read1) / 1e9:F1}, 2 threads {Median(read2) / 1e9:F1} ({Median(read2) / Median(read1):F3})");
        Console.WriteLine($"independent FMA, GFLOP/s per core:           1 thread {Median(fma1) / 1e9:F1}, 2 threads {Median(fma2) / 1e9:F1} ({Median(fma2) / Median(fma1):F3})");
        Partitions(rounds);
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

    /// <summary>Sums the buffer <paramref name="reps"/> times with four <see cref="Vector{T}"/> accumulators; returns the
    /// bytes read.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Read(float* p, int n, int reps)
    {
        int v = Vector<float>.Count;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int r = 0; r < reps; r++)
        {
            for (int i = 0; i + 4 * v <= n; i += 4 * v)
            {
                a0 += Vector.Load(p + i);
                a1 += Vector.Load(p + i + v);
                a2 += Vector.Load(p + i + 2 * v);
                a3 += Vector.Load(p + i + 3 * v);
            }
        }

        GC.KeepAlive(Vector.Sum(a0 + a1 + a2 + a3));
        return (double)reps * n * sizeof(float);
    }

    /// <summary>Part 2: milliseconds per epoch of forward + backward, one thread, split products, half batches.</summary>
    private static void Partitions(int rounds)
    {
        var batches = new float[Prepared][];
        var first = new float[Prepared][];
        var second = new float[Prepared][];
        for (int b = 0; b < Prepared; b++)
        {
            batches[b] = Synthetic.Gaussian(Batch * Inputs, 100 + b);
            (first[b], second[b]) = (new float[Half * Inputs], new float[Half * Inputs]);
            for (int j = 0; j < Inputs; j++)
            {
                Array.Copy(batches[b], j * Batch, first[b], j * Half, Half);
                Array.Copy(batches[b], j * Batch + Half, second[b], j * Half, Half);
            }
        }

        float[] targets = Synthetic.OneHot(Batch, Classes, 0), halfTargets = Synthetic.OneHot(Half, Classes, 0);
        Network<float> whole = Synthetic.ReferenceNetwork(), mine = Synthetic.ReferenceNetwork(), theirs = Synthetic.ReferenceNetwork();
        using var go = new SemaphoreSlim(0);
        using var done = new SemaphoreSlim(0);
        int step = -1;
        var helper = new Thread(() =>
        {
            // The other core's half of each step, until a negative step.
            while (true)
            {
                go.Wait();
                if (Volatile.Read(ref step) < 0)
                {
                    return;
                }

                theirs.ComputeGradients(second[step % Prepared], halfTargets, Half, Loss.CategoricalCrossEntropy);
                done.Release();
            }
        }) { IsBackground = true };
        helper.Start();

        double Whole(int threads)
        {
            Gemm.MaxDegreeOfParallelism = threads;
            long began = Stopwatch.GetTimestamp();
            for (int s = 0; s < Steps; s++)
            {
                whole.ComputeGradients(batches[s % Prepared], targets, Batch, Loss.CategoricalCrossEntropy);
            }

            return Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        }

        double Halves()
        {
            Gemm.MaxDegreeOfParallelism = 1;
            IReadOnlyList<Parameter<float>> sums = mine.ParameterSet.Parameters, others = theirs.ParameterSet.Parameters;
            long began = Stopwatch.GetTimestamp();
            for (int s = 0; s < Steps; s++)
            {
                Volatile.Write(ref step, s);
                go.Release();
                mine.ComputeGradients(first[s % Prepared], halfTargets, Half, Loss.CategoricalCrossEntropy);
                done.Wait();
                for (int p = 0; p < sums.Count; p++)
                {
                    TensorPrimitives.Add(sums[p].Gradient, others[p].Gradient, sums[p].Gradient);
                }
            }

            return Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        }

        var one = new double[rounds];
        var split = new double[rounds];
        var halves = new double[rounds];
        Whole(1);
        Whole(2);
        Halves();
        for (int round = 0; round < rounds; round++)
        {
            one[round] = Whole(1);
            split[round] = Whole(2);
            halves[round] = Halves();
        }

        Volatile.Write(ref step, -1);
        go.Release();
        helper.Join();
        Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;
        Console.WriteLine(
            $"forward + backward, {Steps} steps of batch {Batch}: 1 thread {Median(one):F1} ms, 2 threads splitting each product " +
            $"{Median(split):F1} ms ({Median(one) / Median(split):F2}x), 2 threads with half batches and summed gradients " +
            $"{Median(halves):F1} ms ({Median(one) / Median(halves):F2}x)");
    }

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
