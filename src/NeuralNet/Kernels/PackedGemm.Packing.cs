using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// Packing of op(A) and op(B) into the panels the micro-kernels stream.
internal static unsafe partial class PackedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns of A ahead of the one being packed whose lines are requested.</summary>
    private const int PrefetchDistance = 12;

    /// <summary>
    /// Packs rows <c>[ic, ic+mc)</c>, depth <c>[pc, pc+kc)</c> of op(A) into <c>MR</c>-row panels: panel <c>q</c>
    /// holds <c>op(A)[ic + q*MR + i, pc + p]</c> at <c>q*MR*kc + p*MR + i</c>, zero beyond the last row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(in Job job, int ic, int mc, int pc, int kc, T* dst, int mr)
    {
        nint lda = job.Lda;
        int ir0 = 0;
        if (!job.TransposeA)
        {
            // op(A)[i, p] = a[i + p*lda]: the full panels' rows of one stored column are one contiguous run, read
            // in order and dealt out MR at a time, while the run PrefetchDistance columns ahead is requested (a
            // tall A such as an im2col matrix puts every column on another page, beyond the hardware prefetchers).
            int full = mc / mr * mr;
            T* src = job.A + ic + pc * lda;
            for (int p = 0; p < kc; p++)
            {
                T* s = src + p * lda;
                if (Sse.IsSupported && p + PrefetchDistance < kc)
                {
                    T* ahead = s + PrefetchDistance * lda;
                    for (int i = 0; i < full; i += 64 / sizeof(T))
                    {
                        Sse.Prefetch0(ahead + i);
                    }
                }

                for (int ir = 0; ir < full; ir += mr)
                {
                    CopyRun(s + ir, dst + (nint)ir * kc + (nint)p * mr, mr);
                }
            }

            ir0 = full;
        }

        for (int ir = ir0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* d = dst + (nint)ir * kc;
            if (!job.TransposeA)
            {
                // The last, partial panel: MR-row runs padded with zeros.
                T* src = job.A + (ic + ir) + pc * lda;
                for (int p = 0; p < kc; p++)
                {
                    T* s = src + p * lda;
                    T* dp = d + (nint)p * mr;
                    int i = 0;
                    for (; i < rows; i++) dp[i] = s[i];
                    for (; i < mr; i++) dp[i] = T.Zero;
                }
            }
            else
            {
                // op(A)[i, p] = a[p + i*lda]: row i of op(A) is stored column i of A, contiguous in p.
                if (rows == mr && Avx.IsSupported && mr % TransposeWidth == 0)
                {
                    // Whole panel, V x V blocks: V depth steps of V stored columns each, transposed in registers and
                    // written as V runs of the panel.
                    T* s = job.A + pc + (ic + ir) * lda;
                    int v = TransposeWidth;
                    int p = 0;
                    for (; p <= kc - v; p += v)
                    {
                        for (int i = 0; i < mr; i += v)
                        {
                            TransposeBlock(s + p + i * lda, lda, d + (nint)p * mr + i, mr, v);
                        }
                    }

                    for (; p < kc; p++)
                    {
                        T* dp = d + (nint)p * mr;
                        T* sp = s + p;
                        for (int i = 0; i < mr; i++)
                        {
                            dp[i] = sp[i * lda];
                        }
                    }

                    continue;
                }

                if (rows == mr)
                {
                    // Whole panel: read the MR column streams side by side so each depth step writes one
                    // contiguous run of the panel (stores in order, loads from MR sequential streams).
                    T* s = job.A + pc + (ic + ir) * lda;
                    for (int p = 0; p < kc; p++)
                    {
                        T* dp = d + (nint)p * mr;
                        T* sp = s + p;
                        for (int i = 0; i < mr; i++)
                        {
                            dp[i] = sp[i * lda];
                        }
                    }

                    continue;
                }

                for (int i = 0; i < rows; i++)
                {
                    T* s = job.A + pc + (ic + ir + i) * lda;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(nint)p * mr + i] = s[p];
                    }
                }

                for (int i = rows; i < mr; i++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[(nint)p * mr + i] = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs depth <c>[pc, pc+kc)</c>, columns <c>[jc, jc+nc)</c> of op(B) into <c>NR</c>-column panels: panel
    /// <c>q</c> holds <c>op(B)[pc + p, jc + q*NR + j]</c> at <c>q*NR*kc + p*NR + j</c>, zero beyond the last column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in Job job, int pc, int kc, int jc, int nc, T* dst, int nr)
    {
        nint ldb = job.Ldb;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* d = dst + (nint)jr * kc;
            if (!job.TransposeB && cols == 6 && nr == 6)
            {
                // op(B)[p, j] = b[p + j*ldb]: six contiguous column streams read together, one contiguous row of
                // the panel written per depth step (the common case of a full AVX2/AVX-512 panel).
                T* s0 = job.B + pc + (jc + jr) * ldb;
                T* s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb, s4 = s3 + ldb, s5 = s4 + ldb;
                int p = 0;
                if (Avx.IsSupported)
                {
                    // V depth steps at a time, transposed in registers. Float: the 6 columns padded to 8, each
                    // 8-wide store spills 2 zeros into the next run, which overwrites them (the last panel spills
                    // into the buffer's slack). Double: columns 0-3 as a 4x4 block, columns 4-5 as 2x4.
                    int v = TransposeWidth;
                    for (; p <= kc - v; p += v)
                    {
                        T* dp = d + (nint)p * 6;
                        TransposeBlock(s0 + p, ldb, dp, 6, 6);
                        if (typeof(T) == typeof(double))
                        {
                            TransposeTwoColumns((double*)(s4 + p), ldb, (double*)(dp + 4));
                        }
                    }
                }

                for (; p < kc; p++)
                {
                    T* dp = d + (nint)p * 6;
                    dp[0] = s0[p];
                    dp[1] = s1[p];
                    dp[2] = s2[p];
                    dp[3] = s3[p];
                    dp[4] = s4[p];
                    dp[5] = s5[p];
                }
            }
            else if (!job.TransposeB && cols == 12 && nr == 12)
            {
                // The AVX-512 panel: V depth steps at a time, transposed in registers. Float: columns 0-7 as an 8x8
                // block and 8-11 as 4x8, each writing exactly its columns; double: three 4x4 blocks.
                T* s0 = job.B + pc + (jc + jr) * ldb;
                int p = 0;
                if (Avx.IsSupported)
                {
                    int v = TransposeWidth;
                    for (; p <= kc - v; p += v)
                    {
                        T* dp = d + (nint)p * 12;
                        if (typeof(T) == typeof(float))
                        {
                            Transpose8((float*)(s0 + p), ldb, (float*)dp, 12, 8);
                            Transpose4x8((float*)(s0 + 8 * ldb + p), ldb, (float*)(dp + 8), 12);
                        }
                        else
                        {
                            Transpose4((double*)(s0 + p), ldb, (double*)dp, 12);
                            Transpose4((double*)(s0 + 4 * ldb + p), ldb, (double*)(dp + 4), 12);
                            Transpose4((double*)(s0 + 8 * ldb + p), ldb, (double*)(dp + 8), 12);
                        }
                    }
                }

                for (; p < kc; p++)
                {
                    T* dp = d + (nint)p * 12;
                    for (int j = 0; j < 12; j++)
                    {
                        dp[j] = s0[p + j * ldb];
                    }
                }
            }
            else if (!job.TransposeB && nr == 12 && Avx.IsSupported)
            {
                // The AVX-512 path's edge panel (4, 8 or 10 columns where n is 256, 128 or 10): the whole blocks of
                // columns transposed in registers V depth steps at a time, the 1-3 columns left one value at a time,
                // the padding in vector stores.
                T* s0 = job.B + pc + (jc + jr) * ldb;
                int v = TransposeWidth;
                int p = 0;
                for (; p <= kc - v; p += v)
                {
                    T* dp = d + (nint)p * 12;
                    int c = TransposeColumnBlocks(s0 + p, ldb, dp, cols);
                    for (int t = 0; t < v; t++)
                    {
                        EdgeRow(s0 + p + t, ldb, dp + t * 12, c, cols);
                    }
                }

                for (; p < kc; p++)
                {
                    EdgeRow(s0 + p, ldb, d + (nint)p * 12, 0, cols);
                }
            }
            else if (!job.TransposeB)
            {
                // op(B)[p, j] = b[p + j*ldb]: column j is contiguous in p.
                for (int j = 0; j < cols; j++)
                {
                    T* s = job.B + pc + (jc + jr + j) * ldb;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(nint)p * nr + j] = s[p];
                    }
                }

                for (int j = cols; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[(nint)p * nr + j] = T.Zero;
                    }
                }
            }
            else
            {
                // op(B)[p, j] = b[j + p*ldb]: row p of op(B) is a contiguous run of stored column p.
                T* src = job.B + (jc + jr) + pc * ldb;
                if (cols == 6 && nr == 6)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        CopySix(src + p * ldb, d + (nint)p * 6);
                    }

                    continue;
                }

                if (cols == 12 && nr == 12)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        CopySix(src + p * ldb, d + (nint)p * 12);
                        CopySix(src + p * ldb + 6, d + (nint)p * 12 + 6);
                    }

                    continue;
                }

                for (int p = 0; p < kc; p++)
                {
                    T* s = src + p * ldb;
                    T* dp = d + (nint)p * nr;
                    int j = 0;
                    for (; j < cols; j++) dp[j] = s[j];
                    for (; j < nr; j++) dp[j] = T.Zero;
                }
            }
        }
    }

    /// <summary>Copies 6 contiguous elements: 4 + 2 floats or 4 + 2 doubles in two vector moves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySix(T* s, T* d)
    {
        if (sizeof(T) == 4)
        {
            Vector128.Store(Vector128.Load(s), d);
            *(ulong*)(d + 4) = *(ulong*)(s + 4);
        }
        else
        {
            Vector256.Store(Vector256.Load(s), d);
            Vector128.Store(Vector128.Load(s + 4), d + 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(T* src, T* dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256.Store(Vector256.Load(src + i), dst + i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                Vector128.Store(Vector128.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }
    }
}
