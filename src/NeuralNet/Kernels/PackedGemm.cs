using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// Goto/BLIS-style GEMM on column-major storage: <c>C = alpha * op(A) * op(B) + beta * C</c>.
/// Loops, outermost first: <c>jc</c> over columns of C in steps of <c>NC</c>, <c>pc</c> over k in steps of
/// <c>KC</c> (pack the <c>KC x NC</c> block of op(B) into <c>NR</c>-column panels), <c>ic</c> over rows in steps of
/// <c>MC</c> (pack the <c>MC x KC</c> block of op(A) into <c>MR</c>-row panels), then an <c>MR x NR</c> register tile
/// per panel pair. Packing absorbs both transposes, so the micro-kernel only ever streams two contiguous panels.
/// </summary>
/// <remarks>
/// Every element of C gets its k-sum in the same order (KC blocks in increasing p, one FMA chain per block)
/// whichever rows/columns a thread owns and wherever the edges of a tile fall, so results do not depend on the
/// thread count. Edge tiles are zero-padded in the packed panels, computed whole, and stored partially.
/// The hot methods skip tiered compilation (<c>AggressiveOptimization</c>): their unoptimised tier-0 code is some
/// 30 times slower, which would make the first training batches crawl.
/// </remarks>
internal static unsafe class PackedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Depth of a packed block: a <c>KC x NR</c> panel of B (6 KiB in float) stays in L1.</summary>
    internal const int KC = 256;

    /// <summary>Bytes of the packed <c>MC x KC</c> block of A, sized to sit in a 512 KiB L2 with room for B's panels.</summary>
    private const int ABlockBytes = 128 * 1024;

    /// <summary>Columns of C per outer block; the packed <c>KC x NC</c> block of B (2 MiB in float) lives in L3.</summary>
    private const int NcPanels = 340;

    [ThreadStatic] private static T[]? s_packA;
    [ThreadStatic] private static T[]? s_packB;

    /// <summary>The problem, as raw pointers (the caller pins the spans for the duration of the call).</summary>
    internal struct Job
    {
        public T* A, B, C;
        public int M, N, K, Lda, Ldb, Ldc;
        public bool TransposeA, TransposeB;
        public T Alpha, Beta;
        public GemmPath Path;
    }

    /// <summary>Register tile geometry of a micro-kernel.</summary>
    internal static (int Mr, int Nr) Geometry(GemmPath path) => path switch
    {
        GemmPath.Avx512 => (2 * Vector512<T>.Count, 6),
        GemmPath.Avx2 => (2 * Vector256<T>.Count, 6),
        _ => (2 * Vector128<T>.Count, 4),
    };

    /// <summary>Computes rows <c>[r0, r1)</c> and columns <c>[c0, c1)</c> of C on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunBlock(in Job job, int r0, int r1, int c0, int c1)
    {
        (int mr, int nr) = Geometry(job.Path);
        int mcMax = Math.Max(mr, ABlockBytes / (KC * sizeof(T)) / mr * mr);
        int ncMax = NcPanels * nr;
        // Equal depth blocks (k = 784 gives 4 x 196, not 3 x 256 + 16): no short block paying a full tile store.
        // The split depends on k alone, so the order of additions is the same for every thread count.
        int kBlocks = (job.K + KC - 1) / KC;
        int kcMax = (job.K + kBlocks - 1) / kBlocks;
        int mcNeed = Math.Min(mcMax, RoundUp(r1 - r0, mr));
        int ncNeed = Math.Min(ncMax, RoundUp(c1 - c0, nr));
        T* packA = Buffer(ref s_packA, mcNeed * kcMax);
        T* packB = Buffer(ref s_packB, ncNeed * kcMax);
        T* tile = stackalloc T[mr * nr];
        delegate*<int, T*, T*, T*, void> kernel = job.Path switch
        {
            GemmPath.Avx512 => &KernelAvx512,
            GemmPath.Avx2 => &KernelAvx2,
            _ => &KernelPortable,
        };

        for (int jc = c0; jc < c1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, c1 - jc);
            for (int pc = 0; pc < job.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, job.K - pc);
                bool first = pc == 0;
                PackB(in job, pc, kc, jc, nc, packB, nr);
                for (int ic = r0; ic < r1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, r1 - ic);
                    PackA(in job, ic, mc, pc, kc, packA, mr);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nEdge = Math.Min(nr, nc - jr);
                        T* bPanel = packB + (nint)jr * kc;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mEdge = Math.Min(mr, mc - ir);
                            kernel(kc, packA + (nint)ir * kc, bPanel, tile);
                            T* c = job.C + (ic + ir) + (nint)(jc + jr) * job.Ldc;
                            Store(tile, mr, c, job.Ldc, mEdge, nEdge, job.Alpha, job.Beta, first);
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A per-thread pinned pack buffer, grown on demand and then reused by every later call.</summary>
    private static T* Buffer(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<T>(length, pinned: true);
        }

        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }

    /// <summary>
    /// Packs rows <c>[ic, ic+mc)</c>, depth <c>[pc, pc+kc)</c> of op(A) into <c>MR</c>-row panels: panel <c>q</c>
    /// holds <c>op(A)[ic + q*MR + i, pc + p]</c> at <c>q*MR*kc + p*MR + i</c>, zero beyond the last row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(in Job job, int ic, int mc, int pc, int kc, T* dst, int mr)
    {
        nint lda = job.Lda;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* d = dst + (nint)ir * kc;
            if (!job.TransposeA)
            {
                // op(A)[i, p] = a[i + p*lda]: each depth step copies one contiguous run of MR rows.
                T* src = job.A + (ic + ir) + pc * lda;
                if (rows == mr)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        CopyRun(src + p * lda, d + (nint)p * mr, mr);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        T* s = src + p * lda;
                        T* dp = d + (nint)p * mr;
                        int i = 0;
                        for (; i < rows; i++) dp[i] = s[i];
                        for (; i < mr; i++) dp[i] = T.Zero;
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[p + i*lda]: row i of op(A) is stored column i of A, contiguous in p.
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
            if (!job.TransposeB && cols == 6)
            {
                // op(B)[p, j] = b[p + j*ldb]: six contiguous column streams read together, one contiguous row of
                // the panel written per depth step (the common case of a full AVX2/AVX-512 panel).
                T* s0 = job.B + pc + (jc + jr) * ldb;
                T* s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb, s4 = s3 + ldb, s5 = s4 + ldb;
                for (int p = 0; p < kc; p++)
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

    /// <summary>
    /// Writes a computed tile (column-major, leading dimension <paramref name="mr"/>) into C:
    /// first k-block <c>C = alpha*acc + beta*C</c> (C not read when beta is zero), later blocks <c>C = alpha*acc + C</c>.
    /// The vector and scalar loops do the same IEEE operations, so a value does not depend on where a tile edge falls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Store(T* tile, int mr, T* c, int ldc, int rows, int cols, T alpha, T beta, bool first)
    {
        bool readC = !first || !T.IsZero(beta);
        T scaleC = first ? beta : T.One;
        var alphaV = new Vector<T>(alpha);
        var scaleV = new Vector<T>(scaleC);
        for (int j = 0; j < cols; j++)
        {
            T* t = tile + j * mr;
            T* cj = c + (nint)j * ldc;
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; i <= rows - Vector<T>.Count; i += Vector<T>.Count)
                {
                    Vector<T> v = Vector.Load(t + i) * alphaV;
                    if (readC)
                    {
                        v += scaleV * Vector.Load(cj + i);
                    }

                    Vector.Store(v, cj + i);
                }
            }

            for (; i < rows; i++)
            {
                T v = t[i] * alpha;
                if (readC)
                {
                    v += scaleC * cj[i];
                }

                cj[i] = v;
            }
        }
    }

    // ---- Micro-kernels: acc[MR x NR] = sum over p of Apanel[:, p] * Bpanel[p, :], written to the tile. ----

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
    private static void KernelAvx2(int kc, T* a, T* b, T* tile)
    {
        int v = Vector256<T>.Count;
        Vector256<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector256<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
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
            a0 = Vector256.Load(a + 2 * v);
            a1 = Vector256.Load(a + 2 * v + v);
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
            a += 4 * v;
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

        int mr = 2 * v;
        c00.Store(tile); c10.Store(tile + v);
        c01.Store(tile + mr); c11.Store(tile + mr + v);
        c02.Store(tile + 2 * mr); c12.Store(tile + 2 * mr + v);
        c03.Store(tile + 3 * mr); c13.Store(tile + 3 * mr + v);
        c04.Store(tile + 4 * mr); c14.Store(tile + 4 * mr + v);
        c05.Store(tile + 5 * mr); c15.Store(tile + 5 * mr + v);
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

    /// <summary>AVX-512F: the AVX2 kernel's shape on zmm registers (2 vectors of rows x 6 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx512(int kc, T* a, T* b, T* tile)
    {
        int v = Vector512<T>.Count;
        Vector512<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector512<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> a0 = Vector512.Load(a);
            Vector512<T> a1 = Vector512.Load(a + v);
            Vector512<T> bb = Vector512.Create(b[0]);
            c00 = Fma512(a0, bb, c00);
            c10 = Fma512(a1, bb, c10);
            bb = Vector512.Create(b[1]);
            c01 = Fma512(a0, bb, c01);
            c11 = Fma512(a1, bb, c11);
            bb = Vector512.Create(b[2]);
            c02 = Fma512(a0, bb, c02);
            c12 = Fma512(a1, bb, c12);
            bb = Vector512.Create(b[3]);
            c03 = Fma512(a0, bb, c03);
            c13 = Fma512(a1, bb, c13);
            bb = Vector512.Create(b[4]);
            c04 = Fma512(a0, bb, c04);
            c14 = Fma512(a1, bb, c14);
            bb = Vector512.Create(b[5]);
            c05 = Fma512(a0, bb, c05);
            c15 = Fma512(a1, bb, c15);
            a += 2 * v;
            b += 6;
        }

        int mr = 2 * v;
        c00.Store(tile); c10.Store(tile + v);
        c01.Store(tile + mr); c11.Store(tile + mr + v);
        c02.Store(tile + 2 * mr); c12.Store(tile + 2 * mr + v);
        c03.Store(tile + 3 * mr); c13.Store(tile + 3 * mr + v);
        c04.Store(tile + 4 * mr); c14.Store(tile + 4 * mr + v);
        c05.Store(tile + 5 * mr); c15.Store(tile + 5 * mr + v);
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
    private static void KernelPortable(int kc, T* a, T* b, T* tile)
    {
        int v = Vector128<T>.Count;
        Vector128<T> c00 = default, c10 = default, c01 = default, c11 = default;
        Vector128<T> c02 = default, c12 = default, c03 = default, c13 = default;
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
            a += 2 * v;
            b += 4;
        }

        int mr = 2 * v;
        c00.Store(tile); c10.Store(tile + v);
        c01.Store(tile + mr); c11.Store(tile + mr + v);
        c02.Store(tile + 2 * mr); c12.Store(tile + 2 * mr + v);
        c03.Store(tile + 3 * mr); c13.Store(tile + 3 * mr + v);
    }
}
