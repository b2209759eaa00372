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
internal static unsafe partial class PackedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Depth of a packed block: a <c>KC x NR</c> panel of B (6 KiB in float) stays in L1.</summary>
    internal const int KC = 256;

    /// <summary>Rows of op(A) per block (<c>MC</c>): a dense layer's batch of up to 128 rows is one block, so each panel
    /// of B is packed (or read in place) just before its only use. At <see cref="KC"/> depth steps the block takes
    /// 128 KiB in float and 256 KiB in double, in an L2 of 512 KiB (Zen 3) to 2 MiB (Intel Xeon). Double used 64-row
    /// blocks before: 128 made its batch-128 products 1.03-1.09x faster on the Zen 5 (docs/benchmarks.md).</summary>
    private const int MC = 128;

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

        /// <summary>Applied by each thread to its block of C once the block is final.</summary>
        public GemmEpilogue<T> Epilogue;
    }

    /// <summary>Register tile geometry of a micro-kernel.</summary>
    internal static (int Mr, int Nr) Geometry(GemmPath path) => path switch
    {
        GemmPath.Avx512 => (2 * Vector512<T>.Count, 12),
        GemmPath.Avx2 => (2 * Vector256<T>.Count, 6),
        _ => (2 * Vector128<T>.Count, 4),
    };

    /// <summary>Rows of op(A) per block on <paramref name="path"/>: <see cref="MC"/>, a whole number of row panels.</summary>
    internal static int RowBlock(GemmPath path)
    {
        int mr = Geometry(path).Mr;
        return Math.Max(mr, MC / mr * mr);
    }

    /// <summary>Computes rows <c>[r0, r1)</c> and columns <c>[c0, c1)</c> of C on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunBlock(in Job job, int r0, int r1, int c0, int c1)
    {
        (int mr, int nr) = Geometry(job.Path);
        int mcMax = RowBlock(job.Path);
        int ncMax = NcPanels * nr;
        int kcMax = DepthBlock(job.K);
        int mcNeed = Math.Min(mcMax, RoundUp(r1 - r0, mr));
        int ncNeed = Math.Min(ncMax, RoundUp(c1 - c0, nr));
        T* packA = Buffer(ref s_packA, mcNeed * kcMax);
        // Slack: a float B panel packed by 8-wide transposes writes two padding elements past its end.
        T* packB = Buffer(ref s_packB, ncNeed * kcMax + 8);
        T* tile = stackalloc T[mr * nr];
        // A B of one depth block used by several row blocks on one thread is packed once and read back from the pack
        // (the first layer's dW, 784x128x256 A^T, ran 0.98-0.99x as fast in place); deeper ones, packed once per depth
        // block (a convolution's dW over 25,088 positions), are read where they lie.
        bool bInPlace = ReadsBInPlace(in job), bReusedInPlace = job.K > KC && ReadsReusedBInPlace(in job);
        for (int jc = c0; jc < c1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, c1 - jc);
            for (int pc = 0; pc < job.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, job.K - pc);
                // One row block (m up to MC, e.g. a batch of 128): each B panel is packed just before the kernels
                // use it and is still in L1 when they do, instead of packing all of B up front and reading it back.
                bool panelByPanel = r1 - r0 <= mcMax;
                bool inPlace = panelByPanel ? bInPlace : bReusedInPlace;
                if (!panelByPanel)
                {
                    PackBlockOfB(in job, pc, kc, jc, nc, packB, nr, inPlace);
                }

                for (int ic = r0; ic < r1; ic += mcMax)
                {
                    RowBlockKernels(in job, ic, Math.Min(mcMax, r1 - ic), pc, kc, jc, nc, packA, packB, tile, panelByPanel, inPlace);
                }
            }
        }
    }

    /// <summary>
    /// Whether <see cref="PackWholeB"/> and <see cref="RunRows"/> can compute <paramref name="job"/>: one depth block and
    /// one column block, so that every element of C is final after a single pass over its row block and rows can be
    /// handed to threads in any order and any grouping without changing a bit.
    /// </summary>
    internal static bool FitsOneBPack(in Job job) =>
        job.K <= KC && job.N <= NcPanels * Geometry(job.Path).Nr;

    /// <summary>
    /// Packs all of op(B) (one depth block, one column block: <see cref="FitsOneBPack"/>) into this thread's buffer,
    /// for any number of later <see cref="RunRows"/> calls on the same thread, or only its edge panel where the
    /// kernels read whole panels in place (<see cref="ReadsReusedBInPlace"/>); returns the packed block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T* PackWholeB(in Job job)
    {
        int nr = Geometry(job.Path).Nr;
        T* packB = Buffer(ref s_packB, RoundUp(job.N, nr) * job.K + 8);
        PackBlockOfB(in job, 0, job.K, 0, job.N, packB, nr, ReadsReusedBInPlace(in job));
        return packB;
    }

    /// <summary>
    /// Packs depth <c>[pc, pc+kc)</c>, columns <c>[jc, jc+nc)</c> of op(B) for several row blocks (see
    /// <see cref="PackB"/> for the layout); where the kernels read whole panels in place (<paramref name="bInPlace"/>),
    /// only the edge panel, short of <c>NR</c> columns, which needs its zero padding.
    /// </summary>
    private static void PackBlockOfB(in Job job, int pc, int kc, int jc, int nc, T* packB, int nr, bool bInPlace)
    {
        int whole = bInPlace ? nc / nr * nr : 0;
        if (whole < nc)
        {
            PackB(in job, pc, kc, jc + whole, nc - whole, packB + (nint)whole * kc, nr);
        }
    }

    /// <summary>
    /// Computes rows <c>[r0, r1)</c> (at most one row block) and every column of C from the op(B) that
    /// <see cref="PackWholeB"/> packed on this thread: the same multiply-adds in the same order as
    /// <see cref="RunBlock"/>, so the bits do not depend on how rows are grouped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunRows(in Job job, int r0, int r1, T* packB)
    {
        (int mr, int nr) = Geometry(job.Path);
        T* packA = Buffer(ref s_packA, Math.Min(RowBlock(job.Path), RoundUp(r1 - r0, mr)) * job.K);
        T* tile = stackalloc T[mr * nr];
        RowBlockKernels(in job, r0, r1 - r0, 0, job.K, 0, job.N, packA, packB, tile, panelByPanel: false, ReadsReusedBInPlace(in job));
    }

    /// <summary>
    /// Depth of each block: equal blocks (k = 784 gives 4 x 196, not 3 x 256 + 16), so no short block pays a full tile
    /// store. The split depends on k alone, so the order of additions is the same for every thread count.
    /// </summary>
    private static int DepthBlock(int k)
    {
        int kBlocks = (k + KC - 1) / KC;
        return (k + kBlocks - 1) / kBlocks;
    }

    /// <summary>
    /// The kernels of one row block: rows <c>[ic, ic+mc)</c> (<c>mc</c> at most <see cref="MC"/>), depth
    /// <c>[pc, pc+kc)</c>, columns <c>[jc, jc+nc)</c>. op(A) is packed into <paramref name="packA"/> unless read in
    /// place; op(B)'s whole panels are read where B stores them when <paramref name="bInPlace"/>
    /// (<see cref="ReadsBInPlace"/>, <see cref="ReadsReusedBInPlace"/>); other panels are packed just before their use
    /// (<paramref name="panelByPanel"/>) or were packed into <paramref name="packB"/> beforehand.
    /// <paramref name="tile"/> holds an edge tile (MR x NR) before it is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowBlockKernels(
        in Job job, int ic, int mc, int pc, int kc, int jc, int nc, T* packA, T* packB, T* tile, bool panelByPanel, bool bInPlace)
    {
        (int mr, int nr) = Geometry(job.Path);
        delegate*<int, T*, nint, T*, T*, nint, T, T, bool, void> kernel = job.Path switch
        {
            GemmPath.Avx512 => &KernelAvx512,
            GemmPath.Avx2 => &KernelAvx2,
            _ => &KernelPortable,
        };
        bool first = pc == 0;
        bool readC = !first || !T.IsZero(job.Beta);
        T scaleC = first ? job.Beta : T.One;
        delegate*<int, T*, nint, T*, nint, T*, nint, T, T, bool, void> storedKernel =
            job.TransposeB ? &KernelAvx512BRowsInPlace : &KernelAvx512BInPlace;
        bool inPlace = ReadsAInPlace(in job, ic, mc, pc, mr);
        if (!inPlace)
        {
            PackA(in job, ic, mc, pc, kc, packA, mr);
        }

        // Panel ir of the block and the distance between its depth steps: packed, or where A stores it.
        T* aBlock = inPlace ? job.A + ic + (nint)pc * job.Lda : packA;
        nint aPanel = inPlace ? 1 : kc;
        nint aStep = inPlace ? job.Lda : mr;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int nEdge = Math.Min(nr, nc - jr);
            T* bPanel = packB + (nint)jr * kc;
            // A whole panel of a B read in place: its columns where B stores them (the edge panel, short
            // of NR columns, is packed with its zero padding).
            bool stored = bInPlace && nEdge == nr;
            if (stored)
            {
                bPanel = job.TransposeB ? job.B + (jc + jr) + (nint)pc * job.Ldb : job.B + pc + (nint)(jc + jr) * job.Ldb;
            }
            else if (panelByPanel)
            {
                PackB(in job, pc, kc, jc + jr, nEdge, packB, nr);
                bPanel = packB;
            }

            for (int ir = 0; ir < mc; ir += mr)
            {
                int mEdge = Math.Min(mr, mc - ir);
                T* c = job.C + (ic + ir) + (nint)(jc + jr) * job.Ldc;
                T* aTile = aBlock + ir * aPanel;
                if (stored && mEdge == mr)
                {
                    storedKernel(kc, aTile, aStep, bPanel, job.Ldb, c, job.Ldc, job.Alpha, scaleC, readC);
                }
                else if (stored)
                {
                    storedKernel(kc, aTile, aStep, bPanel, job.Ldb, tile, mr, T.One, T.Zero, false);
                    Store(tile, mr, c, job.Ldc, mEdge, nEdge, job.Alpha, job.Beta, first);
                }
                else if (mEdge == mr && nEdge == nr)
                {
                    kernel(kc, aTile, aStep, bPanel, c, job.Ldc, job.Alpha, scaleC, readC);
                }
                else
                {
                    // On the AVX-512 path, a tile of only as many rows and columns as the edge needs.
                    delegate*<int, T*, nint, T*, T*, nint, T, T, bool, void> edge =
                        job.Path == GemmPath.Avx512 ? EdgeKernelAvx512(mEdge, nEdge) : kernel;
                    edge(kc, aTile, aStep, bPanel, tile, mr, T.One, T.Zero, false);
                    Store(tile, mr, c, job.Ldc, mEdge, nEdge, job.Alpha, job.Beta, first);
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Stored leading dimensions of A up to this many bytes may be read in place (see <see cref="ReadsAInPlace"/>).</summary>
    private const int MaxInPlaceStrideBytes = 2048;

    /// <summary>
    /// Whether the micro-kernels can read rows <c>[ic, ic+mc)</c>, depth <c>[pc, ...)</c> of op(A) where A stores them
    /// instead of from a packed copy: op(A) not transposed, so each depth step of an MR-row panel is already one
    /// contiguous run (a column of A); every panel whole (no zero padding needed); every run starting on a vector
    /// boundary (a 512-bit load across two lines costs the Intel Xeon of docs/benchmarks.md load bandwidth, which is
    /// why the pack buffers are aligned); and columns at most <see cref="MaxInPlaceStrideBytes"/> apart, so the block's
    /// runs spread over the cache sets and the hardware's stride prefetcher follows them. The batch-major activations of
    /// a dense layer (a batch of 128 floats per column) are such an A in the forward products and the backward
    /// <c>dZ W^T</c>: packing them only copied them. The kernels do the same multiply-adds in the same order on the
    /// same values either way, so the bits do not change.
    /// </summary>
    internal static bool ReadsAInPlace(in Job job, int ic, int mc, int pc, int mr)
    {
        int vectorBytes = mr / 2 * sizeof(T);
        nint first = (nint)(job.A + ic + (nint)pc * job.Lda);
        return !job.TransposeA && mc % mr == 0 && (first & (vectorBytes - 1)) == 0
            && (long)job.Lda * sizeof(T) % vectorBytes == 0 && (long)job.Lda * sizeof(T) <= MaxInPlaceStrideBytes;
    }

    /// <summary>Stored leading dimensions of B that are a multiple of this many bytes are packed (see
    /// <see cref="ReadsBInPlace"/>).</summary>
    private const int BSetAliasBytes = 4096;

    /// <summary>
    /// Whether the AVX-512 kernel reads whole 12-column panels of op(B) where B stores them instead of from a packed
    /// copy, when each panel would be packed just before its only use (<c>panelByPanel</c> in <see cref="RunBlock"/>,
    /// all rows in one block), with stored columns not a multiple of <see cref="BSetAliasBytes"/> apart, where the runs
    /// read together would all fall in the same cache sets. op(B) not transposed: column q of a panel is one contiguous
    /// run at <c>B + q*ldb</c> and each depth step twelve scalar broadcasts from twelve runs, the same loads as from a
    /// packed panel. The weights of a dense layer (<c>[in x out]</c>, column-major) are such a B in the forward product
    /// <c>X W</c>: packing them, a transpose of every weight per batch, was the largest packing cost of a training
    /// step. op(B) transposed: depth step p of a panel is 12 neighbours in stored column p, a packed panel's layout
    /// with <c>ldb</c> in place of 12, as in the backward <c>dZ W^T</c>; packing only copied them (128x256x784 on one
    /// Zen 5 core: 87% of the FMA peak packed, 95% in place). The kernels do the same multiply-adds in the same order
    /// on the same values either way, so the bits do not change.
    /// </summary>
    internal static bool ReadsBInPlace(in Job job) =>
        job.Path == GemmPath.Avx512 && (long)job.Ldb * sizeof(T) % BSetAliasBytes != 0;

    /// <summary>
    /// Whether whole panels of op(B) are read in place where each is used by several row blocks (<see cref="RunRows"/>,
    /// or a <see cref="RunBlock"/> of more than <see cref="MC"/> rows over more than one depth block) instead of packed
    /// once for all of them: as
    /// <see cref="ReadsBInPlace"/>, untransposed B only. The weight gradient <c>X^T dZ</c> then reads dZ's columns where
    /// they lie instead of transposing it (each thread packed all of it), 256x128x128 A^T on two threads x1.08 in
    /// float and x1.09 in double; a transposed B reused by 196 row blocks (25088x64x288 B^T) read 0.97x as fast in place.
    /// </summary>
    internal static bool ReadsReusedBInPlace(in Job job) => !job.TransposeB && ReadsBInPlace(in job);

    /// <summary>
    /// A per-thread pinned pack buffer, grown on demand and then reused by every later call; the pointer returned is
    /// aligned to 64 bytes. An array's data starts 16 bytes into the object, so without the alignment every 512-bit load
    /// of a packed panel straddled two cache lines, which the Intel Xeon of docs/benchmarks.md pays for in load
    /// bandwidth (the micro-kernel reads two such vectors of A per depth step).
    /// </summary>
    private static T* Buffer(ref T[]? buffer, int length)
    {
        int slack = CacheLine / sizeof(T);
        if (buffer is null || buffer.Length < length + slack)
        {
            buffer = GC.AllocateUninitializedArray<T>(length + slack, pinned: true);
        }

        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)((start + CacheLine - 1) & ~(nint)(CacheLine - 1));
    }

    private const int CacheLine = 64;

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
}
