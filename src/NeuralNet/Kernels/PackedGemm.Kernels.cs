using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// Micro-kernels: acc[MR x NR] = sum over p of Apanel[:, p] * Bpanel[p, :], then dst = alpha*acc (+ scale*dst).
// Apanel's column p (MR contiguous values) starts at a + p*lda: lda = MR for a packed panel, the stored leading
// dimension when the kernel reads op(A) in place (see RunBlock).
internal static unsafe partial class PackedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Epilogue of every kernel: dst = alpha*acc + scale*dst, or alpha*acc when dst is not read, with a separate
    // multiply and add, exactly the operations of Store. A full tile goes straight into C; an edge tile goes to a
    // scratch tile with alpha = 1 and no read (alpha*acc is then acc itself) and Store finishes it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector128<T> acc, T* dst, Vector128<T> alpha, Vector128<T> scale, bool readC)
    {
        Vector128<T> r = acc * alpha;
        if (readC)
        {
            r += scale * Vector128.Load(dst);
        }

        r.Store(dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector256<T> acc, T* dst, Vector256<T> alpha, Vector256<T> scale, bool readC)
    {
        Vector256<T> r = acc * alpha;
        if (readC)
        {
            r += scale * Vector256.Load(dst);
        }

        r.Store(dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector512<T> acc, T* dst, Vector512<T> alpha, Vector512<T> scale, bool readC)
    {
        Vector512<T> r = acc * alpha;
        if (readC)
        {
            r += scale * Vector512.Load(dst);
        }

        r.Store(dst);
    }
    /// <summary>
    /// Asks for the C tile's lines (first, middle and last element of each column) before the depth loop, so the
    /// epilogue's read and write of C, which may sit in memory when C is large, overlap the loop instead of stalling
    /// after it. Prefetches never fault; on CPUs without SSE nothing is asked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(T* c, nint ldc, int mr, int nr)
    {
        if (Sse.IsSupported)
        {
            for (int j = 0; j < nr; j++)
            {
                T* cj = c + j * ldc;
                Sse.Prefetch0(cj);
                Sse.Prefetch0(cj + mr / 2);
                Sse.Prefetch0(cj + mr - 1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma256(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>AVX2+FMA: 2 ymm of rows x 6 columns = 12 accumulators, 2 A loads and 6 broadcasts per depth step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx2(int kc, T* a, nint lda, T* b, T* c, nint ldc, T alpha, T scale, bool readC)
    {
        int v = Vector256<T>.Count;
        Vector256<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector256<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
        PrefetchTile(c, ldc, 2 * v, 6);
        // Two depth steps per trip halve the loop overhead (pointer bumps, compare, branch) per 24 FMAs.
        Vector256<T> a0, a1, bb;
        int p = 0;
        for (; p + 1 < kc; p += 2)
        {
            a0 = Vector256.Load(a);
            a1 = Vector256.Load(a + v);
            bb = Vector256.Create(b[0]);
            c00 = Fma256(a0, bb, c00);
            c10 = Fma256(a1, bb, c10);
            bb = Vector256.Create(b[1]);
            c01 = Fma256(a0, bb, c01);
            c11 = Fma256(a1, bb, c11);
            bb = Vector256.Create(b[2]);
            c02 = Fma256(a0, bb, c02);
            c12 = Fma256(a1, bb, c12);
            bb = Vector256.Create(b[3]);
            c03 = Fma256(a0, bb, c03);
            c13 = Fma256(a1, bb, c13);
            bb = Vector256.Create(b[4]);
            c04 = Fma256(a0, bb, c04);
            c14 = Fma256(a1, bb, c14);
            bb = Vector256.Create(b[5]);
            c05 = Fma256(a0, bb, c05);
            c15 = Fma256(a1, bb, c15);
            a0 = Vector256.Load(a + lda);
            a1 = Vector256.Load(a + lda + v);
            bb = Vector256.Create(b[6]);
            c00 = Fma256(a0, bb, c00);
            c10 = Fma256(a1, bb, c10);
            bb = Vector256.Create(b[7]);
            c01 = Fma256(a0, bb, c01);
            c11 = Fma256(a1, bb, c11);
            bb = Vector256.Create(b[8]);
            c02 = Fma256(a0, bb, c02);
            c12 = Fma256(a1, bb, c12);
            bb = Vector256.Create(b[9]);
            c03 = Fma256(a0, bb, c03);
            c13 = Fma256(a1, bb, c13);
            bb = Vector256.Create(b[10]);
            c04 = Fma256(a0, bb, c04);
            c14 = Fma256(a1, bb, c14);
            bb = Vector256.Create(b[11]);
            c05 = Fma256(a0, bb, c05);
            c15 = Fma256(a1, bb, c15);
            a += 2 * lda;
            b += 12;
        }

        if (p < kc)
        {
            a0 = Vector256.Load(a);
            a1 = Vector256.Load(a + v);
            bb = Vector256.Create(b[0]);
            c00 = Fma256(a0, bb, c00);
            c10 = Fma256(a1, bb, c10);
            bb = Vector256.Create(b[1]);
            c01 = Fma256(a0, bb, c01);
            c11 = Fma256(a1, bb, c11);
            bb = Vector256.Create(b[2]);
            c02 = Fma256(a0, bb, c02);
            c12 = Fma256(a1, bb, c12);
            bb = Vector256.Create(b[3]);
            c03 = Fma256(a0, bb, c03);
            c13 = Fma256(a1, bb, c13);
            bb = Vector256.Create(b[4]);
            c04 = Fma256(a0, bb, c04);
            c14 = Fma256(a1, bb, c14);
            bb = Vector256.Create(b[5]);
            c05 = Fma256(a0, bb, c05);
            c15 = Fma256(a1, bb, c15);
        }

        var alphaV = Vector256.Create(alpha);
        var scaleV = Vector256.Create(scale);
        Put(c00, c, alphaV, scaleV, readC); Put(c10, c + v, alphaV, scaleV, readC);
        Put(c01, c + ldc, alphaV, scaleV, readC); Put(c11, c + ldc + v, alphaV, scaleV, readC);
        Put(c02, c + 2 * ldc, alphaV, scaleV, readC); Put(c12, c + 2 * ldc + v, alphaV, scaleV, readC);
        Put(c03, c + 3 * ldc, alphaV, scaleV, readC); Put(c13, c + 3 * ldc + v, alphaV, scaleV, readC);
        Put(c04, c + 4 * ldc, alphaV, scaleV, readC); Put(c14, c + 4 * ldc + v, alphaV, scaleV, readC);
        Put(c05, c + 5 * ldc, alphaV, scaleV, readC); Put(c15, c + 5 * ldc + v, alphaV, scaleV, readC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> MulAdd128(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        // MultiplyAddEstimate: one fused instruction where the hardware has it (NEON fmla, FMA3), else multiply then add.
        if (typeof(T) == typeof(float))
        {
            return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>Portable <c>Vector128</c> kernel (SSE2, ARM64 NEON, or the software fallback): 2 vectors of rows x 4 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelPortable(int kc, T* a, nint lda, T* b, T* c, nint ldc, T alpha, T scale, bool readC)
    {
        int v = Vector128<T>.Count;
        Vector128<T> c00 = default, c10 = default, c01 = default, c11 = default;
        Vector128<T> c02 = default, c12 = default, c03 = default, c13 = default;
        PrefetchTile(c, ldc, 2 * v, 4);
        for (int p = 0; p < kc; p++)
        {
            Vector128<T> a0 = Vector128.Load(a);
            Vector128<T> a1 = Vector128.Load(a + v);
            Vector128<T> bb = Vector128.Create(b[0]);
            c00 = MulAdd128(a0, bb, c00);
            c10 = MulAdd128(a1, bb, c10);
            bb = Vector128.Create(b[1]);
            c01 = MulAdd128(a0, bb, c01);
            c11 = MulAdd128(a1, bb, c11);
            bb = Vector128.Create(b[2]);
            c02 = MulAdd128(a0, bb, c02);
            c12 = MulAdd128(a1, bb, c12);
            bb = Vector128.Create(b[3]);
            c03 = MulAdd128(a0, bb, c03);
            c13 = MulAdd128(a1, bb, c13);
            a += lda;
            b += 4;
        }

        var alphaV = Vector128.Create(alpha);
        var scaleV = Vector128.Create(scale);
        Put(c00, c, alphaV, scaleV, readC); Put(c10, c + v, alphaV, scaleV, readC);
        Put(c01, c + ldc, alphaV, scaleV, readC); Put(c11, c + ldc + v, alphaV, scaleV, readC);
        Put(c02, c + 2 * ldc, alphaV, scaleV, readC); Put(c12, c + 2 * ldc + v, alphaV, scaleV, readC);
        Put(c03, c + 3 * ldc, alphaV, scaleV, readC); Put(c13, c + 3 * ldc + v, alphaV, scaleV, readC);
    }
}
