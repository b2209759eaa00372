using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

// The AVX-512F micro-kernel: a register tile of up to 2 vectors of rows x 12 columns, its edge shapes, and the three
// readers of B it is specialised for (a packed panel, 12 columns where an untransposed B stores them, or 12 neighbours
// per depth step where a transposed B stores them).
internal static unsafe partial class PackedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
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
        Tile512<PackedPanel, Two, Twelve>(kc, a, lda, new PackedPanel(b), c, ldc, alpha, scale, readC);

    /// <summary>
    /// The AVX-512 tile for an edge tile of <paramref name="rows"/> x <paramref name="columns"/> (at most 2 vectors x 12),
    /// packed panels: 1 or 2 vectors of rows by 4, 8 or 12 columns, the smallest that covers it, where the 2 x 12 tile
    /// would spend a third or more of its multiply-adds on zero padding (n = 256, 784 and 1024 end in an edge of 4
    /// columns, n = 128 in one of 8; m = 784 in float in an edge of one vector). Each element of C gets the same
    /// multiply-adds in the same order whichever tile computes it, so the bits do not change.
    /// </summary>
    private static delegate*<int, T*, nint, T*, T*, nint, T, T, bool, void> EdgeKernelAvx512(int rows, int columns) =>
        (rows > Vector512<T>.Count, columns) switch
        {
            (true, > 8) => &KernelAvx512,
            (true, > 4) => &Tile512Packed<Two, Eight>,
            (true, _) => &Tile512Packed<Two, Four>,
            (false, > 8) => &Tile512Packed<One, Twelve>,
            (false, > 4) => &Tile512Packed<One, Eight>,
            _ => &Tile512Packed<One, Four>,
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512Packed<TRows, TColumns>(int kc, T* a, nint lda, T* b, T* c, nint ldc, T alpha, T scale, bool readC)
        where TRows : struct, ITileCount
        where TColumns : struct, ITileCount =>
        Tile512<PackedPanel, TRows, TColumns>(kc, a, lda, new PackedPanel(b), c, ldc, alpha, scale, readC);

    /// <summary>
    /// <see cref="KernelAvx512"/> reading 12 columns of an untransposed B where B stores them (column <c>q</c> of the
    /// panel at <c>b + q*ldb</c>, depth step <c>p</c> at offset <c>p</c>) instead of from a packed panel. The same
    /// multiply-adds in the same order on the same values, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void KernelAvx512BInPlace(int kc, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T scale, bool readC) =>
        Tile512<StoredColumns, Two, Twelve>(kc, a, lda, new StoredColumns(b, ldb), c, ldc, alpha, scale, readC);

    /// <summary>
    /// <see cref="KernelAvx512"/> reading 12 columns of a transposed B where B stores them: op(B)'s row <c>p</c> is a
    /// run of stored column <c>p</c>, so depth step <c>p</c> of the panel is the 12 values at <c>b + p*ldb</c>, a packed
    /// panel's layout with <c>ldb</c> in place of 12. The same multiply-adds in the same order on the same values, so the
    /// same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void KernelAvx512BRowsInPlace(int kc, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T scale, bool readC) =>
        Tile512<StoredRows, Two, Twelve>(kc, a, lda, new StoredRows(b, ldb), c, ldc, alpha, scale, readC);

    /// <summary>Vectors of rows (1 or 2) or columns (4, 8 or 12) of the AVX-512 tile: a struct per count, so that each
    /// tile shape gets its own copy of <see cref="Tile512{TPanel, TRows, TColumns}"/> with the unused part compiled out.</summary>
    private interface ITileCount
    {
        static abstract int Count { get; }
    }

    private struct One : ITileCount
    {
        public static int Count => 1;
    }

    private struct Two : ITileCount
    {
        public static int Count => 2;
    }

    private struct Four : ITileCount
    {
        public static int Count => 4;
    }

    private struct Eight : ITileCount
    {
        public static int Count => 8;
    }

    private struct Twelve : ITileCount
    {
        public static int Count => 12;
    }

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

    /// <summary>Twelve values side by side where a transposed B stores them, one depth step <c>ldb</c> after another.</summary>
    private struct StoredRows(T* b, nint ldb) : IPanel12
    {
        private T* _b = b;
        private readonly nint _step = ldb;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector512<T> Get(int q) => Vector512.Create(_b[q]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Next() => _b += _step;
    }

    /// <summary>The 2 x 12 register tile (or its first vector of rows, <typeparamref name="TRows"/>, and its first 8 or 4
    /// columns, <typeparamref name="TColumns"/>) over <paramref name="kc"/> depth steps, B read through
    /// <typeparamref name="TPanel"/> (structs, so each combination gets its own specialised copy of this loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512<TPanel, TRows, TColumns>(int kc, T* a, nint lda, TPanel b, T* c, nint ldc, T alpha, T scale, bool readC)
        where TPanel : struct, IPanel12
        where TRows : struct, ITileCount
        where TColumns : struct, ITileCount
    {
        int v = Vector512<T>.Count;
        Vector512<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector512<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
        Vector512<T> c06 = default, c16 = default, c07 = default, c17 = default, c08 = default, c18 = default;
        Vector512<T> c09 = default, c19 = default, c0a = default, c1a = default, c0b = default, c1b = default;
        PrefetchTile(c, ldc, TRows.Count * v, TColumns.Count);
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> a0 = Vector512.Load(a);
            Vector512<T> a1 = TRows.Count > 1 ? Vector512.Load(a + v) : default;
            Vector512<T> bb = b.Get(0);
            c00 = Fma512(a0, bb, c00);
            if (TRows.Count > 1)
            {
                c10 = Fma512(a1, bb, c10);
            }

            bb = b.Get(1);
            c01 = Fma512(a0, bb, c01);
            if (TRows.Count > 1)
            {
                c11 = Fma512(a1, bb, c11);
            }

            bb = b.Get(2);
            c02 = Fma512(a0, bb, c02);
            if (TRows.Count > 1)
            {
                c12 = Fma512(a1, bb, c12);
            }

            bb = b.Get(3);
            c03 = Fma512(a0, bb, c03);
            if (TRows.Count > 1)
            {
                c13 = Fma512(a1, bb, c13);
            }

            if (TColumns.Count > 4)
            {
                bb = b.Get(4);
                c04 = Fma512(a0, bb, c04);
                if (TRows.Count > 1)
                {
                    c14 = Fma512(a1, bb, c14);
                }

                bb = b.Get(5);
                c05 = Fma512(a0, bb, c05);
                if (TRows.Count > 1)
                {
                    c15 = Fma512(a1, bb, c15);
                }

                bb = b.Get(6);
                c06 = Fma512(a0, bb, c06);
                if (TRows.Count > 1)
                {
                    c16 = Fma512(a1, bb, c16);
                }

                bb = b.Get(7);
                c07 = Fma512(a0, bb, c07);
                if (TRows.Count > 1)
                {
                    c17 = Fma512(a1, bb, c17);
                }
            }

            if (TColumns.Count > 8)
            {
                bb = b.Get(8);
                c08 = Fma512(a0, bb, c08);
                if (TRows.Count > 1)
                {
                    c18 = Fma512(a1, bb, c18);
                }

                bb = b.Get(9);
                c09 = Fma512(a0, bb, c09);
                if (TRows.Count > 1)
                {
                    c19 = Fma512(a1, bb, c19);
                }

                bb = b.Get(10);
                c0a = Fma512(a0, bb, c0a);
                if (TRows.Count > 1)
                {
                    c1a = Fma512(a1, bb, c1a);
                }

                bb = b.Get(11);
                c0b = Fma512(a0, bb, c0b);
                if (TRows.Count > 1)
                {
                    c1b = Fma512(a1, bb, c1b);
                }
            }

            a += lda;
            b.Next();
        }

        var alphaV = Vector512.Create(alpha);
        var scaleV = Vector512.Create(scale);
        Put(c00, c, alphaV, scaleV, readC);
        if (TRows.Count > 1)
        {
            Put(c10, c + v, alphaV, scaleV, readC);
        }

        Put(c01, c + ldc, alphaV, scaleV, readC);
        if (TRows.Count > 1)
        {
            Put(c11, c + ldc + v, alphaV, scaleV, readC);
        }

        Put(c02, c + 2 * ldc, alphaV, scaleV, readC);
        if (TRows.Count > 1)
        {
            Put(c12, c + 2 * ldc + v, alphaV, scaleV, readC);
        }

        Put(c03, c + 3 * ldc, alphaV, scaleV, readC);
        if (TRows.Count > 1)
        {
            Put(c13, c + 3 * ldc + v, alphaV, scaleV, readC);
        }

        if (TColumns.Count > 4)
        {
            Put(c04, c + 4 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c14, c + 4 * ldc + v, alphaV, scaleV, readC);
            }

            Put(c05, c + 5 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c15, c + 5 * ldc + v, alphaV, scaleV, readC);
            }

            Put(c06, c + 6 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c16, c + 6 * ldc + v, alphaV, scaleV, readC);
            }

            Put(c07, c + 7 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c17, c + 7 * ldc + v, alphaV, scaleV, readC);
            }
        }

        if (TColumns.Count > 8)
        {
            Put(c08, c + 8 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c18, c + 8 * ldc + v, alphaV, scaleV, readC);
            }

            Put(c09, c + 9 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c19, c + 9 * ldc + v, alphaV, scaleV, readC);
            }

            Put(c0a, c + 10 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c1a, c + 10 * ldc + v, alphaV, scaleV, readC);
            }

            Put(c0b, c + 11 * ldc, alphaV, scaleV, readC);
            if (TRows.Count > 1)
            {
                Put(c1b, c + 11 * ldc + v, alphaV, scaleV, readC);
            }
        }
    }
}
