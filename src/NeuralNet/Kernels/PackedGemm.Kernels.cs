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
    private static Vector512<T> Fma512(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        // One vfmadd on AVX-512 hardware; elsewhere the runtime's exact software fallback, which is slow but lets
        // the tests check this kernel's tile layout on machines without AVX-512.
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>
    /// AVX-512F: 2 vectors of rows x 12 columns, 24 zmm accumulators (plus 2 of A and a broadcast, 27 of the 32
    /// registers). Twice the columns of the AVX2 kernel's shape: each tile's 24 stores and 12 prefetched columns of C
    /// are spread over twice the multiply-adds, and each load of A feeds 12 FMAs instead of 6. B from a packed panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx512(int kc, T* a, nint lda, T* b, T* c, nint ldc, T alpha, T scale, bool readC) =>
        Tile512(kc, a, lda, new PackedPanel(b), c, ldc, alpha, scale, readC);

    /// <summary>
    /// <see cref="KernelAvx512"/> reading 12 columns of an untransposed B where B stores them (column <c>q</c> of the
    /// panel at <c>b + q*ldb</c>, depth step <c>p</c> at offset <c>p</c>) instead of from a packed panel. The same
    /// multiply-adds in the same order on the same values, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void KernelAvx512BInPlace(int kc, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T scale, bool readC) =>
        Tile512(kc, a, lda, new StoredColumns(b, ldb), c, ldc, alpha, scale, readC);

    /// <summary>Where the AVX-512 kernel finds the 12 values of op(B) for one depth step.</summary>
    private interface IPanel12
    {
        /// <summary>The value of column <paramref name="q"/> (0-11) at the current depth step, in every lane.</summary>
        Vector512<T> Get(int q);

        /// <summary>Moves to the next depth step.</summary>
        void Next();
    }

    /// <summary>A packed panel: the 12 values of a depth step side by side, steps one after another.</summary>
    private struct PackedPanel(T* b) : IPanel12
    {
        private T* _b = b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector512<T> Get(int q) => Vector512.Create(_b[q]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Next() => _b += 12;
    }

    /// <summary>
    /// Twelve stored columns <c>ldb</c> apart. Four pointers (columns 0, 3, 6 and 9) and the distances of one and two
    /// columns, so that every value is one addressing mode (<c>[base + index*scale]</c>) away, with no per-column
    /// pointer to keep in a register.
    /// </summary>
    private struct StoredColumns(T* b, nint ldb) : IPanel12
    {
        private T* _b0 = b, _b3 = b + 3 * ldb, _b6 = b + 6 * ldb, _b9 = b + 9 * ldb;
        private readonly nint _one = ldb, _two = 2 * ldb;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector512<T> Get(int q) => q switch
        {
            0 => Vector512.Create(_b0[0]),
            1 => Vector512.Create(_b0[_one]),
            2 => Vector512.Create(_b0[_two]),
            3 => Vector512.Create(_b3[0]),
            4 => Vector512.Create(_b3[_one]),
            5 => Vector512.Create(_b3[_two]),
            6 => Vector512.Create(_b6[0]),
            7 => Vector512.Create(_b6[_one]),
            8 => Vector512.Create(_b6[_two]),
            9 => Vector512.Create(_b9[0]),
            10 => Vector512.Create(_b9[_one]),
            _ => Vector512.Create(_b9[_two]),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Next()
        {
            _b0++;
            _b3++;
            _b6++;
            _b9++;
        }
    }

    /// <summary>The 2 x 12 register tile over <paramref name="kc"/> depth steps, B read through <typeparamref name="TPanel"/>
    /// (a struct, so each reader gets its own specialised copy of this loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512<TPanel>(int kc, T* a, nint lda, TPanel b, T* c, nint ldc, T alpha, T scale, bool readC)
        where TPanel : struct, IPanel12
    {
        int v = Vector512<T>.Count;
        Vector512<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector512<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
        Vector512<T> c06 = default, c16 = default, c07 = default, c17 = default, c08 = default, c18 = default;
        Vector512<T> c09 = default, c19 = default, c0a = default, c1a = default, c0b = default, c1b = default;
        PrefetchTile(c, ldc, 2 * v, 12);
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> a0 = Vector512.Load(a);
            Vector512<T> a1 = Vector512.Load(a + v);
            Vector512<T> bb = b.Get(0);
            c00 = Fma512(a0, bb, c00);
            c10 = Fma512(a1, bb, c10);
            bb = b.Get(1);
            c01 = Fma512(a0, bb, c01);
            c11 = Fma512(a1, bb, c11);
            bb = b.Get(2);
            c02 = Fma512(a0, bb, c02);
            c12 = Fma512(a1, bb, c12);
            bb = b.Get(3);
            c03 = Fma512(a0, bb, c03);
            c13 = Fma512(a1, bb, c13);
            bb = b.Get(4);
            c04 = Fma512(a0, bb, c04);
            c14 = Fma512(a1, bb, c14);
            bb = b.Get(5);
            c05 = Fma512(a0, bb, c05);
            c15 = Fma512(a1, bb, c15);
            bb = b.Get(6);
            c06 = Fma512(a0, bb, c06);
            c16 = Fma512(a1, bb, c16);
            bb = b.Get(7);
            c07 = Fma512(a0, bb, c07);
            c17 = Fma512(a1, bb, c17);
            bb = b.Get(8);
            c08 = Fma512(a0, bb, c08);
            c18 = Fma512(a1, bb, c18);
            bb = b.Get(9);
            c09 = Fma512(a0, bb, c09);
            c19 = Fma512(a1, bb, c19);
            bb = b.Get(10);
            c0a = Fma512(a0, bb, c0a);
            c1a = Fma512(a1, bb, c1a);
            bb = b.Get(11);
            c0b = Fma512(a0, bb, c0b);
            c1b = Fma512(a1, bb, c1b);
            a += lda;
            b.Next();
        }

        var alphaV = Vector512.Create(alpha);
        var scaleV = Vector512.Create(scale);
        Put(c00, c, alphaV, scaleV, readC); Put(c10, c + v, alphaV, scaleV, readC);
        Put(c01, c + ldc, alphaV, scaleV, readC); Put(c11, c + ldc + v, alphaV, scaleV, readC);
        Put(c02, c + 2 * ldc, alphaV, scaleV, readC); Put(c12, c + 2 * ldc + v, alphaV, scaleV, readC);
        Put(c03, c + 3 * ldc, alphaV, scaleV, readC); Put(c13, c + 3 * ldc + v, alphaV, scaleV, readC);
        Put(c04, c + 4 * ldc, alphaV, scaleV, readC); Put(c14, c + 4 * ldc + v, alphaV, scaleV, readC);
        Put(c05, c + 5 * ldc, alphaV, scaleV, readC); Put(c15, c + 5 * ldc + v, alphaV, scaleV, readC);
        Put(c06, c + 6 * ldc, alphaV, scaleV, readC); Put(c16, c + 6 * ldc + v, alphaV, scaleV, readC);
        Put(c07, c + 7 * ldc, alphaV, scaleV, readC); Put(c17, c + 7 * ldc + v, alphaV, scaleV, readC);
        Put(c08, c + 8 * ldc, alphaV, scaleV, readC); Put(c18, c + 8 * ldc + v, alphaV, scaleV, readC);
        Put(c09, c + 9 * ldc, alphaV, scaleV, readC); Put(c19, c + 9 * ldc + v, alphaV, scaleV, readC);
        Put(c0a, c + 10 * ldc, alphaV, scaleV, readC); Put(c1a, c + 10 * ldc + v, alphaV, scaleV, readC);
        Put(c0b, c + 11 * ldc, alphaV, scaleV, readC); Put(c1b, c + 11 * ldc + v, alphaV, scaleV, readC);
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
