using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// Transposes a block of rows into columns: <c>destination[j · ldd + i] = row_i[j]</c> for <c>i &lt; m</c>,
/// <c>j &lt; n</c>, where row <c>i</c> starts at <c>source + index_i · lds</c> (<c>index_i = i</c>, or the i-th entry of
/// an index list for a gather). With AVX, 8 x 8 float (4 x 4 double) tiles are loaded as 8 (4) row vectors, transposed
/// in registers and stored as 8 (4) column vectors, so every read and every write is a contiguous run of 32 bytes
/// instead of one element per cache line on the strided side. Values are moved, never computed: the bits are those of
/// the source whatever path runs.
/// </summary>
internal static unsafe class BlockTranspose
{
    /// <summary>
    /// How far ahead of its tile <see cref="Rows{T}"/> asks for each source row's next lines (<c>prefetcht0</c>, one line
    /// per row per 64 bytes copied). The rows of a shuffled batch are scattered over a staging copy far larger than the
    /// caches, and the hardware prefetchers start each row cold; asking eight lines ahead in the eight rows of a tile
    /// keeps some 64 lines in flight. One-epoch fits on the Zen 5 of docs/benchmarks.md took 0.973-0.998 (median 0.984,
    /// five runs) of the time without it; 16 lines ahead, 0.982-0.991.
    /// </summary>
    private const int PrefetchBytes = 512;

    /// <summary>Rows <c>[i0, i1)</c> of the block (all <paramref name="n"/> columns).</summary>
    /// <param name="source">The first row's base.</param>
    /// <param name="lds">Elements between consecutive row indices in <paramref name="source"/>.</param>
    /// <param name="index">Row indices, or null for rows <c>0 .. m-1</c>.</param>
    /// <param name="i0">First row transposed.</param>
    /// <param name="i1">One past the last row transposed.</param>
    /// <param name="n">Columns (elements per row).</param>
    /// <param name="destination">Column <c>j</c> of the result starts at <c>destination + j · ldd</c>.</param>
    /// <param name="ldd">Elements between consecutive columns of the result.</param>
    public static void Rows<T>(T* source, long lds, int* index, int i0, int i1, int n, T* destination, long ldd)
        where T : unmanaged
    {
        int i = i0;
        if (Avx.IsSupported && typeof(T) == typeof(float))
        {
            for (; i + 8 <= i1; i += 8)
            {
                float* r0 = (float*)Row(source, lds, index, i), r1 = (float*)Row(source, lds, index, i + 1);
                float* r2 = (float*)Row(source, lds, index, i + 2), r3 = (float*)Row(source, lds, index, i + 3);
                float* r4 = (float*)Row(source, lds, index, i + 4), r5 = (float*)Row(source, lds, index, i + 5);
                float* r6 = (float*)Row(source, lds, index, i + 6), r7 = (float*)Row(source, lds, index, i + 7);
                float* d = (float*)destination + i;
                int j = 0;
                for (; j + 8 <= n; j += 8)
                {
                    if ((j & 15) == 0)
                    {
                        // Past a row's end this asks for lines of another row: harmless, a prefetch never faults.
                        const int ahead = PrefetchBytes / sizeof(float);
                        Sse.Prefetch0(r0 + j + ahead); Sse.Prefetch0(r1 + j + ahead);
                        Sse.Prefetch0(r2 + j + ahead); Sse.Prefetch0(r3 + j + ahead);
                        Sse.Prefetch0(r4 + j + ahead); Sse.Prefetch0(r5 + j + ahead);
                        Sse.Prefetch0(r6 + j + ahead); Sse.Prefetch0(r7 + j + ahead);
                    }

                    Tile8(r0 + j, r1 + j, r2 + j, r3 + j, r4 + j, r5 + j, r6 + j, r7 + j, d + j * ldd, ldd);
                }

                for (; j < n; j++)
                {
                    float* c = d + j * ldd;
                    c[0] = r0[j]; c[1] = r1[j]; c[2] = r2[j]; c[3] = r3[j];
                    c[4] = r4[j]; c[5] = r5[j]; c[6] = r6[j]; c[7] = r7[j];
                }
            }
        }
        else if (Avx.IsSupported && typeof(T) == typeof(double))
        {
            for (; i + 4 <= i1; i += 4)
            {
                double* r0 = (double*)Row(source, lds, index, i), r1 = (double*)Row(source, lds, index, i + 1);
                double* r2 = (double*)Row(source, lds, index, i + 2), r3 = (double*)Row(source, lds, index, i + 3);
                double* d = (double*)destination + i;
                int j = 0;
                for (; j + 4 <= n; j += 4)
                {
                    if ((j & 7) == 0)
                    {
                        const int ahead = PrefetchBytes / sizeof(double);
                        Sse.Prefetch0(r0 + j + ahead); Sse.Prefetch0(r1 + j + ahead);
                        Sse.Prefetch0(r2 + j + ahead); Sse.Prefetch0(r3 + j + ahead);
                    }

                    Tile4(r0 + j, r1 + j, r2 + j, r3 + j, d + j * ldd, ldd);
                }

                for (; j < n; j++)
                {
                    double* c = d + j * ldd;
                    c[0] = r0[j]; c[1] = r1[j]; c[2] = r2[j]; c[3] = r3[j];
                }
            }
        }

        // The rows left over (all rows without AVX), a few at a time so each destination line is reused while cached.
        for (; i < i1; i += 4)
        {
            int count = Math.Min(4, i1 - i);
            for (int j = 0; j < n; j++)
            {
                T* c = destination + j * ldd + i;
                for (int r = 0; r < count; r++)
                {
                    c[r] = Row(source, lds, index, i + r)[j];
                }
            }
        }
    }

    /// <summary>
    /// Rows <c>[0, m)</c> of an unindexed block, like <see cref="Rows{T}"/>, for a destination far larger than the caches
    /// that is written once and read much later (the trainer's row-major copy of its data). Rows are taken 64 bytes'
    /// worth at a time (16 floats, 8 doubles) so that each tile pair fills whole 64-byte lines of the destination, and
    /// those lines are written with non-temporal stores: without them every line is first read from memory (a
    /// read-for-ownership that the strided write pattern keeps the prefetchers from hiding) and then written back,
    /// half again as much traffic. Needs AVX, a 64-byte aligned <paramref name="destination"/> and
    /// <c>ldd · sizeof(T)</c> a multiple of 64; otherwise, and for the rows and columns left over, the plain path
    /// runs. Ends with a store fence, so the copy is complete before the caller signals another thread. The values and
    /// their places are those of <see cref="Rows{T}"/>.
    /// </summary>
    /// <param name="source">Row <c>i</c> starts at <c>source + i · lds</c>.</param>
    /// <param name="lds">Elements between consecutive rows of the source.</param>
    /// <param name="m">Rows transposed.</param>
    /// <param name="n">Columns (elements per row).</param>
    /// <param name="destination">Column <c>j</c> of the result starts at <c>destination + j · ldd</c>.</param>
    /// <param name="ldd">Elements between consecutive columns of the result.</param>
    public static void RowsStreaming<T>(T* source, long lds, int m, int n, T* destination, long ldd)
        where T : unmanaged
    {
        const int Line = 64;
        int perLine = Line / sizeof(T);
        if (!Avx.IsSupported || ((nint)destination & (Line - 1)) != 0 || ldd * sizeof(T) % Line != 0 || (typeof(T) != typeof(float) && typeof(T) != typeof(double)))
        {
            Rows(source, lds, null, 0, m, n, destination, ldd);
            return;
        }

        int i = 0;
        for (; i + perLine <= m; i += perLine)
        {
            T* d = destination + i;
            int j = 0;
            if (typeof(T) == typeof(float))
            {
                float* r = (float*)(source + i * lds);
                for (; j + 8 <= n; j += 8)
                {
                    // Rows i..i+7 fill the first half of each of the 8 destination lines, rows i+8..i+15 the second.
                    float* a = r + j;
                    Tile8(a, a + lds, a + 2 * lds, a + 3 * lds, a + 4 * lds, a + 5 * lds, a + 6 * lds, a + 7 * lds, (float*)d + j * ldd, ldd, nonTemporal: true);
                    a += 8 * lds;
                    Tile8(a, a + lds, a + 2 * lds, a + 3 * lds, a + 4 * lds, a + 5 * lds, a + 6 * lds, a + 7 * lds, (float*)d + j * ldd + 8, ldd, nonTemporal: true);
                }
            }
            else
            {
                double* r = (double*)(source + i * lds);
                for (; j + 4 <= n; j += 4)
                {
                    double* a = r + j;
                    Tile4(a, a + lds, a + 2 * lds, a + 3 * lds, (double*)d + j * ldd, ldd, nonTemporal: true);
                    a += 4 * lds;
                    Tile4(a, a + lds, a + 2 * lds, a + 3 * lds, (double*)d + j * ldd + 4, ldd, nonTemporal: true);
                }
            }

            // The columns left over, for these rows.
            for (; j < n; j++)
            {
                T* c = d + j * ldd;
                for (int k = 0; k < perLine; k++)
                {
                    c[k] = source[(i + k) * lds + j];
                }
            }
        }

        Rows(source, lds, null, i, m, n, destination, ldd);
        Sse.StoreFence();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* Row<T>(T* source, long lds, int* index, int i) where T : unmanaged =>
        source + (index is null ? i : index[i]) * lds;

    /// <summary>8 x 8 floats: rows r0..r7 (8 contiguous values each) to 8 columns of 8 at <c>d + c · ldd</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8(float* r0, float* r1, float* r2, float* r3, float* r4, float* r5, float* r6, float* r7, float* d, long ldd, bool nonTemporal = false)
    {
        // unpack: (r0, r1) interleaved per 128-bit lane; shuffle: four rows' element c (low lane) and c + 4 (high
        // lane); permute: the low lanes of rows 0-3 and 4-7 make column c, the high lanes column c + 4.
        Vector256<float> t0 = Avx.UnpackLow(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
        Vector256<float> t1 = Avx.UnpackHigh(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
        Vector256<float> t2 = Avx.UnpackLow(Avx.LoadVector256(r2), Avx.LoadVector256(r3));
        Vector256<float> t3 = Avx.UnpackHigh(Avx.LoadVector256(r2), Avx.LoadVector256(r3));
        Vector256<float> t4 = Avx.UnpackLow(Avx.LoadVector256(r4), Avx.LoadVector256(r5));
        Vector256<float> t5 = Avx.UnpackHigh(Avx.LoadVector256(r4), Avx.LoadVector256(r5));
        Vector256<float> t6 = Avx.UnpackLow(Avx.LoadVector256(r6), Avx.LoadVector256(r7));
        Vector256<float> t7 = Avx.UnpackHigh(Avx.LoadVector256(r6), Avx.LoadVector256(r7));
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Store(d, Avx.Permute2x128(s0, s4, 0x20), nonTemporal);
        Store(d + ldd, Avx.Permute2x128(s1, s5, 0x20), nonTemporal);
        Store(d + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20), nonTemporal);
        Store(d + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20), nonTemporal);
        Store(d + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31), nonTemporal);
        Store(d + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31), nonTemporal);
        Store(d + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31), nonTemporal);
        Store(d + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31), nonTemporal);
    }

    /// <summary>4 x 4 doubles: rows r0..r3 (4 contiguous values each) to 4 columns of 4 at <c>d + c · ldd</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(double* r0, double* r1, double* r2, double* r3, double* d, long ldd, bool nonTemporal = false)
    {
        // unpack: elements (0, 2) and (1, 3) of two rows interleaved; permute: low lanes make columns 0 and 1, high
        // lanes columns 2 and 3.
        Vector256<double> lo01 = Avx.UnpackLow(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
        Vector256<double> hi01 = Avx.UnpackHigh(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
        Vector256<double> lo23 = Avx.UnpackLow(Avx.LoadVector256(r2), Avx.LoadVector256(r3));
        Vector256<double> hi23 = Avx.UnpackHigh(Avx.LoadVector256(r2), Avx.LoadVector256(r3));
        Store(d, Avx.Permute2x128(lo01, lo23, 0x20), nonTemporal);
        Store(d + ldd, Avx.Permute2x128(hi01, hi23, 0x20), nonTemporal);
        Store(d + 2 * ldd, Avx.Permute2x128(lo01, lo23, 0x31), nonTemporal);
        Store(d + 3 * ldd, Avx.Permute2x128(hi01, hi23, 0x31), nonTemporal);
    }

    /// <summary>A 32-byte store; non-temporal (<c>vmovntps</c>/<c>vmovntpd</c>, <paramref name="p"/> 32-byte aligned)
    /// when <paramref name="nonTemporal"/> is set, a constant at every call site.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* p, Vector256<T> value, bool nonTemporal) where T : unmanaged
    {
        if (!nonTemporal)
        {
            value.Store(p);
        }
        else if (typeof(T) == typeof(float))
        {
            Avx.StoreAlignedNonTemporal((float*)p, value.AsSingle());
        }
        else
        {
            Avx.StoreAlignedNonTemporal((double*)p, value.AsDouble());
        }
    }
}
