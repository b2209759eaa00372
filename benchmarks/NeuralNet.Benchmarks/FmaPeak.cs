using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Benchmarks;

/// <summary>
/// This machine's fused multiply-add peak per core, measured once at start-up: independent accumulator chains of
/// the widest FMA the CPU has (16 of 512-bit with AVX-512F, else 12 of 256-bit with FMA3, which fit its 16 registers),
/// more than two pipes of 4-cycle latency need, run for about 100 ms, best of five. 2 flops per lane per FMA.
/// </summary>
public static class FmaPeak
{
    private static readonly Lazy<(double Single, double Double, int Bits)> Measured = new(Measure);

    /// <summary>FP32 GFLOP/s of one core.</summary>
    public static double SinglePerCore => Measured.Value.Single;

    /// <summary>FP64 GFLOP/s of one core.</summary>
    public static double DoublePerCore => Measured.Value.Double;

    /// <summary>The vector width measured: 512, 256, or 0 when the CPU has no FMA (then the peaks are scalar estimates).</summary>
    public static int VectorBits => Measured.Value.Bits;

    private static (double, double, int) Measure()
    {
        int bits = Avx512F.IsSupported ? 512 : Fma.IsSupported ? 256 : 0;
        double single = 0, dbl = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            single = Math.Max(single, Rate(bits, isDouble: false));
            dbl = Math.Max(dbl, Rate(bits, isDouble: true));
        }

        return (single, dbl, bits);
    }

    /// <summary>GFLOP/s of one timed run on the calling thread (<paramref name="bits"/>: 512, 256 or 0).</summary>
    internal static double Rate(int bits, bool isDouble)
    {
        const long Iterations = 2_000_000;
        long start = Stopwatch.GetTimestamp();
        double sink = bits switch
        {
            512 => isDouble ? Chains512<double>(Iterations) : Chains512<float>(Iterations),
            256 => isDouble ? Chains256<double>(Iterations) : Chains256<float>(Iterations),
            _ => Scalar(Iterations),
        };
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        GC.KeepAlive(sink);
        int lanes = bits == 0 ? 1 : bits / (isDouble ? 64 : 32);
        int chains = bits == 256 ? 12 : 16;
        return 2.0 * chains * lanes * Iterations / seconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chains512<T>(long iterations) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Vector512<float> a = Vector512.Create(0.999f), b = Vector512.Create(1e-7f);
            Vector512<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Avx512F.FusedMultiplyAdd(c0, a, b); c1 = Avx512F.FusedMultiplyAdd(c1, a, b); c2 = Avx512F.FusedMultiplyAdd(c2, a, b); c3 = Avx512F.FusedMultiplyAdd(c3, a, b);
                c4 = Avx512F.FusedMultiplyAdd(c4, a, b); c5 = Avx512F.FusedMultiplyAdd(c5, a, b); c6 = Avx512F.FusedMultiplyAdd(c6, a, b); c7 = Avx512F.FusedMultiplyAdd(c7, a, b);
                c8 = Avx512F.FusedMultiplyAdd(c8, a, b); c9 = Avx512F.FusedMultiplyAdd(c9, a, b); c10 = Avx512F.FusedMultiplyAdd(c10, a, b); c11 = Avx512F.FusedMultiplyAdd(c11, a, b);
                c12 = Avx512F.FusedMultiplyAdd(c12, a, b); c13 = Avx512F.FusedMultiplyAdd(c13, a, b); c14 = Avx512F.FusedMultiplyAdd(c14, a, b); c15 = Avx512F.FusedMultiplyAdd(c15, a, b);
            }

            return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
        }
        else
        {
            Vector512<double> a = Vector512.Create(0.999), b = Vector512.Create(1e-7);
            Vector512<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Avx512F.FusedMultiplyAdd(c0, a, b); c1 = Avx512F.FusedMultiplyAdd(c1, a, b); c2 = Avx512F.FusedMultiplyAdd(c2, a, b); c3 = Avx512F.FusedMultiplyAdd(c3, a, b);
                c4 = Avx512F.FusedMultiplyAdd(c4, a, b); c5 = Avx512F.FusedMultiplyAdd(c5, a, b); c6 = Avx512F.FusedMultiplyAdd(c6, a, b); c7 = Avx512F.FusedMultiplyAdd(c7, a, b);
                c8 = Avx512F.FusedMultiplyAdd(c8, a, b); c9 = Avx512F.FusedMultiplyAdd(c9, a, b); c10 = Avx512F.FusedMultiplyAdd(c10, a, b); c11 = Avx512F.FusedMultiplyAdd(c11, a, b);
                c12 = Avx512F.FusedMultiplyAdd(c12, a, b); c13 = Avx512F.FusedMultiplyAdd(c13, a, b); c14 = Avx512F.FusedMultiplyAdd(c14, a, b); c15 = Avx512F.FusedMultiplyAdd(c15, a, b);
            }

            return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chains256<T>(long iterations) where T : unmanaged
    {
        // 12 chains, not 16: without AVX-512 there are only 16 ymm registers, and 16 accumulators plus the two
        // operands spill to the stack (the probe then read 49 GFLOP/s on a Zen 3 whose GEMM reached 73).
        if (typeof(T) == typeof(float))
        {
            Vector256<float> a = Vector256.Create(0.999f), b = Vector256.Create(1e-7f);
            Vector256<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Fma.MultiplyAdd(c0, a, b); c1 = Fma.MultiplyAdd(c1, a, b); c2 = Fma.MultiplyAdd(c2, a, b); c3 = Fma.MultiplyAdd(c3, a, b);
                c4 = Fma.MultiplyAdd(c4, a, b); c5 = Fma.MultiplyAdd(c5, a, b); c6 = Fma.MultiplyAdd(c6, a, b); c7 = Fma.MultiplyAdd(c7, a, b);
                c8 = Fma.MultiplyAdd(c8, a, b); c9 = Fma.MultiplyAdd(c9, a, b); c10 = Fma.MultiplyAdd(c10, a, b); c11 = Fma.MultiplyAdd(c11, a, b);
            }

            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }
        else
        {
            Vector256<double> a = Vector256.Create(0.999), b = Vector256.Create(1e-7);
            Vector256<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Fma.MultiplyAdd(c0, a, b); c1 = Fma.MultiplyAdd(c1, a, b); c2 = Fma.MultiplyAdd(c2, a, b); c3 = Fma.MultiplyAdd(c3, a, b);
                c4 = Fma.MultiplyAdd(c4, a, b); c5 = Fma.MultiplyAdd(c5, a, b); c6 = Fma.MultiplyAdd(c6, a, b); c7 = Fma.MultiplyAdd(c7, a, b);
                c8 = Fma.MultiplyAdd(c8, a, b); c9 = Fma.MultiplyAdd(c9, a, b); c10 = Fma.MultiplyAdd(c10, a, b); c11 = Fma.MultiplyAdd(c11, a, b);
            }

            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Scalar(long iterations)
    {
        double a = 0.999, b = 1e-7, c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (long i = 0; i < iterations; i++)
        {
            c0 = c0 * a + b; c1 = c1 * a + b; c2 = c2 * a + b; c3 = c3 * a + b; c4 = c4 * a + b; c5 = c5 * a + b; c6 = c6 * a + b; c7 = c7 * a + b;
            c8 = c8 * a + b; c9 = c9 * a + b; c10 = c10 * a + b; c11 = c11 * a + b; c12 = c12 * a + b; c13 = c13 * a + b; c14 = c14 * a + b; c15 = c15 * a + b;
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
    }
}
