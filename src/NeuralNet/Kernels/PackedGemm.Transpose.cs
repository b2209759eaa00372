using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// In-register transposes for packing: V x V blocks (V = 8 floats or 4 doubles, one ymm per row) read from V strided
// streams and written as V contiguous runs. Packing is pure data movement, so none of this touches the arithmetic.
internal static unsafe partial class PackedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per ymm register: the side of a transposed block.</summary>
    private static int TransposeWidth => Vector256<T>.Count;

    /// <summary>
    /// Reads <c>rows</c> runs <c>src[q*srcStride + t]</c>, <c>t &lt; V</c>, and writes run <c>t</c> of the transpose,
    /// <c>dst[t*dstStride + q] = src[q*srcStride + t]</c>, as one V-wide store per <c>t</c>. Rows past
    /// <paramref name="rows"/> (6 of 8 for a float B panel) are taken as zeros, so each store then writes
    /// <c>V - rows</c> padding elements past the run; the caller stores runs in increasing order and lets the next
    /// run (or buffer slack) overwrite them. Requires AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeBlock(T* src, nint srcStride, T* dst, nint dstStride, int rows)
    {
        if (typeof(T) == typeof(float))
        {
            Transpose8((float*)src, srcStride, (float*)dst, dstStride, rows);
        }
        else
        {
            Transpose4((double*)src, srcStride, (double*)dst, dstStride);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(float* s, nint ss, float* d, nint ds, int rows)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss);
        Vector256<float> r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * ss), r5 = Avx.LoadVector256(s + 5 * ss);
        Vector256<float> r6 = default, r7 = default;
        if (rows == 8)
        {
            r6 = Avx.LoadVector256(s + 6 * ss);
            r7 = Avx.LoadVector256(s + 7 * ss);
        }

        // Interleave each group of four rows (within 128-bit lanes), then swap lanes.
        (Vector256<float> u0, Vector256<float> u1, Vector256<float> u2, Vector256<float> u3) = Interleave4(r0, r1, r2, r3);
        (Vector256<float> u4, Vector256<float> u5, Vector256<float> u6, Vector256<float> u7) = Interleave4(r4, r5, r6, r7);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// Four rows of 8 floats interleaved within 128-bit lanes: <c>u_t</c> holds column t of the four rows in its low
    /// lane and column t + 4 in its high lane (pairs of rows, then pairs of pairs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) Interleave4(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        return (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
    }

    /// <summary>
    /// Four float runs of 8, transposed: <c>d[t*ds + q] = s[q*ss + t]</c> for <c>q &lt; 4, t &lt; 8</c>, one 128-bit
    /// store per <c>t</c> (<see cref="Interleave4"/>, whose lanes already hold depth steps t and t + 4). Requires AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x8(float* s, nint ss, float* d, nint ds)
    {
        (Vector256<float> u0, Vector256<float> u1, Vector256<float> u2, Vector256<float> u3) = Interleave4(
            Avx.LoadVector256(s), Avx.LoadVector256(s + ss), Avx.LoadVector256(s + 2 * ss), Avx.LoadVector256(s + 3 * ss));
        Sse.Store(d, u0.GetLower());
        Sse.Store(d + ds, u1.GetLower());
        Sse.Store(d + 2 * ds, u2.GetLower());
        Sse.Store(d + 3 * ds, u3.GetLower());
        Sse.Store(d + 4 * ds, u0.GetUpper());
        Sse.Store(d + 5 * ds, u1.GetUpper());
        Sse.Store(d + 6 * ds, u2.GetUpper());
        Sse.Store(d + 7 * ds, u3.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(double* s, nint ss, double* d, nint ds)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss);
        Vector256<double> r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(t1, t3, 0x31));
    }

    /// <summary>
    /// Double B panel, columns 4 and 5 of 6, four depth steps: <c>dst[t*6 + j] = src[j*srcStride + t]</c> for
    /// <c>j &lt; 2, t &lt; 4</c>, one 128-bit store per depth step. Requires AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeTwoColumns(double* s, nint ss, double* d)
    {
        Vector256<double> c0 = Avx.LoadVector256(s), c1 = Avx.LoadVector256(s + ss);
        Vector256<double> even = Avx.UnpackLow(c0, c1), odd = Avx.UnpackHigh(c0, c1);
        Sse2.Store(d, even.GetLower());
        Sse2.Store(d + 6, odd.GetLower());
        Sse2.Store(d + 12, even.GetUpper());
        Sse2.Store(d + 18, odd.GetUpper());
    }

    /// <summary>
    /// Transposes the leading whole blocks of <paramref name="cols"/> (fewer than 12) stored columns, V depth steps
    /// from <paramref name="s"/>, into rows of 12 at <paramref name="d"/>: float in a block of 8 and then one of 4,
    /// double in blocks of 4. Returns the columns written. Requires AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TransposeColumnBlocks(T* s, nint ldb, T* d, int cols)
    {
        int c = 0;
        if (typeof(T) == typeof(float))
        {
            if (cols >= 8)
            {
                Transpose8((float*)s, ldb, (float*)d, 12, 8);
                c = 8;
            }

            if (cols - c >= 4)
            {
                Transpose4x8((float*)(s + c * ldb), ldb, (float*)(d + c), 12);
                c += 4;
            }
        }
        else
        {
            for (; cols - c >= 4; c += 4)
            {
                Transpose4((double*)(s + c * ldb), ldb, (double*)(d + c), 12);
            }
        }

        return c;
    }

    /// <summary>One depth step of an edge panel: columns <c>[c, cols)</c> from their stored runs
    /// (<c>row[j] = s[j*ldb]</c>), then zeros up to column 12.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EdgeRow(T* s, nint ldb, T* row, int c, int cols)
    {
        for (int j = c; j < cols; j++)
        {
            row[j] = s[j * ldb];
        }

        int z = cols;
        for (; z + Vector256<T>.Count <= 12; z += Vector256<T>.Count)
        {
            Vector256.Store(Vector256<T>.Zero, row + z);
        }

        for (; z + Vector128<T>.Count <= 12; z += Vector128<T>.Count)
        {
            Vector128.Store(Vector128<T>.Zero, row + z);
        }

        for (; z < 12; z++)
        {
            row[z] = T.Zero;
        }
    }
}
