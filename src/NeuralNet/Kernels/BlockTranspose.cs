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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* Row<T>(T* source, long lds, int* index, int i) where T : unmanaged =>
        source + (index is null ? i : index[i]) * lds;

    /// <summary>8 x 8 floats: rows r0..r7 (8 contiguous values each) to 8 columns of 8 at <c>d + c · ldd</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8(float* r0, float* r1, float* r2, float* r3, float* r4, float* r5, float* r6, float* r7, float* d, long ldd)
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
        Avx.Store(d, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(d + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(d + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(d + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(d + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>4 x 4 doubles: rows r0..r3 (4 contiguous values each) to 4 columns of 4 at <c>d + c · ldd</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(double* r0, double* r1, double* r2, double* r3, double* d, long ldd)
    {
        // unpack: elements (0, 2) and (1, 3) of two rows interleaved; permute: low lanes make columns 0 and 1, high
        // lanes columns 2 and 3.
        Vector256<double> lo01 = Avx.UnpackLow(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
        Vector256<double> hi01 = Avx.UnpackHigh(Avx.LoadVector256(r0), Avx.LoadVector256(r1));
        Vector256<double> lo23 = Avx.UnpackLow(Avx.LoadVector256(r2), Avx.LoadVector256(r3));
        Vector256<double> hi23 = Avx.UnpackHigh(Avx.LoadVector256(r2), Avx.LoadVector256(r3));
        Avx.Store(d, Avx.Permute2x128(lo01, lo23, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(hi01, hi23, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(lo01, lo23, 0x31));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(hi01, hi23, 0x31));
    }
}
