using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Splits C into independent blocks, one per thread: whole NR-column panels when C is at least as wide as it is
/// tall, whole MR-row panels otherwise. Each thread packs what it needs into its own buffers; nothing is shared but
/// the read-only inputs, and no element of C is touched by two threads. Each thread then applies the job's
/// <see cref="GemmEpilogue{T}"/> to its own block.
/// </summary>
/// <remarks>
/// Two kinds of split are handed out in chunks claimed at run time instead of one fixed share per thread: the first
/// thread claims chunks from the left (or top), the last from the right (or bottom) and any others from the left, until
/// none is left. On a shared machine one core is often slower than the other for a while, and a fixed share then leaves
/// the faster one waiting (10 to 60 ms of a 290 ms epoch on the Zen 5 of docs/benchmarks.md); claimed from the two ends,
/// each thread still keeps to its side of the operands from one call to the next.
/// <list type="bullet">
/// <item>A column split whose rows fit one row block and whose A is read in place (a dense layer's forward product and
/// its <c>dZ W^T</c> in training, where the batch buffers are aligned).
/// A chunk costs nothing extra only because nothing is packed per call: where A would be packed, every chunk would
/// pack it again (1.43x slower in chunks of 24 columns, measured), so those products keep the fixed split.</item>
/// <item>A row split of one depth block and one column block (a dense layer's weight gradient <c>X^T dZ</c> on a batch
/// of up to 256 rows): each thread reads op(B) where it lies (or packs all of it once, <see cref="PackedGemm{T}.PackWholeB"/>)
/// and packs only the rows of op(A) it claims, which it would pack anyway.</item>
/// </list>
/// A chunk is <see cref="ChunkPanels"/> panel (12 columns or 32 float rows on the AVX-512 path), so a thread that runs
/// out of chunks waits at most one panel's time for the other; chunks of two panels made one-epoch fits 1.04-1.07x
/// slower on the Zen 5 (docs/benchmarks.md).
/// Every element of C gets the same multiply-adds in the same order whichever thread computes it, so the bits do not
/// change.
/// </remarks>
internal sealed unsafe class ParallelGemm<T> : IGemmWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this many multiply-adds per thread, waking another thread costs more than it saves.</summary>
    internal const long MinMultiplyAddsPerThread = 1L << 19;

    /// <summary>The same while the workers are still spinning after the last dispatch
    /// (<see cref="GemmWorkers.WorkersSpinning"/>): the output layer's products of a training step (164K multiply-adds
    /// at batch 128) then use both cores.</summary>
    internal const long MinMultiplyAddsPerSpinningThread = 1L << 16;

    [ThreadStatic] private static ParallelGemm<T>? s_instance;

    /// <summary>Panels per claimed chunk (see the remarks).</summary>
    private const int ChunkPanels = 1;

    private PackedGemm<T>.Job _job;
    private bool _splitColumns;
    private int _panels;
    private int _panelSize;
    private int _parts;

    /// <summary>Whether the threads claim chunks (see the remarks), and the chunks not yet claimed.</summary>
    private bool _claim;
    private ChunkClaims _chunks;

    /// <summary>Runs the packed GEMM on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in PackedGemm<T>.Job job, int threads)
    {
        (int mr, int nr) = PackedGemm<T>.Geometry(job.Path);
        bool splitColumns = job.N >= job.M;
        int panelSize = splitColumns ? nr : mr;
        int panels = ((splitColumns ? job.N : job.M) + panelSize - 1) / panelSize;
        long work = (long)job.M * job.N * job.K;
        long minWork = work < threads * MinMultiplyAddsPerThread && GemmWorkers.WorkersSpinning
            ? MinMultiplyAddsPerSpinningThread : MinMultiplyAddsPerThread;
        int parts = (int)Math.Min(Math.Min(threads, panels), Math.Max(1, work / minWork));
        if (parts <= 1)
        {
            PackedGemm<T>.RunBlock(in job, 0, job.M, 0, job.N);
            job.Epilogue.Apply(job.C, job.Ldc, 0, job.M, 0, job.N);
            return;
        }

        ParallelGemm<T> self = s_instance ??= new ParallelGemm<T>();
        self._job = job;
        self._splitColumns = splitColumns;
        self._panels = panels;
        self._panelSize = panelSize;
        self._parts = parts;
        self._claim = splitColumns ? ClaimsChunks(in job, parts, panels) : ClaimsRowChunks(in job, parts, panels);
        self._chunks.Reset((panels + ChunkPanels - 1) / ChunkPanels);
        if (!GemmWorkers.TryRun(self, parts))
        {
            PackedGemm<T>.RunBlock(in job, 0, job.M, 0, job.N);
            job.Epilogue.Apply(job.C, job.Ldc, 0, job.M, 0, job.N);
        }
    }

    /// <summary>Whether a column split of <paramref name="job"/> over <paramref name="parts"/> threads is handed out in
    /// claimed chunks (see the remarks): at least two chunks per thread, all rows in one row block, A read in place.</summary>
    internal static bool ClaimsChunks(in PackedGemm<T>.Job job, int parts, int panels) =>
        panels >= 2 * ChunkPanels * parts && job.M <= PackedGemm<T>.RowBlock(job.Path)
        && PackedGemm<T>.ReadsAInPlace(in job, 0, job.M, 0, PackedGemm<T>.Geometry(job.Path).Mr);

    /// <summary>Whether a row split of <paramref name="job"/> over <paramref name="parts"/> threads is handed out in
    /// claimed chunks (see the remarks): at least two chunks per thread, one depth block and one column block.</summary>
    internal static bool ClaimsRowChunks(in PackedGemm<T>.Job job, int parts, int panels) =>
        panels >= 2 * ChunkPanels * parts && PackedGemm<T>.FitsOneBPack(in job);

    /// <inheritdoc />
    public void Run(int part)
    {
        if (_claim)
        {
            if (_splitColumns)
            {
                RunClaimed(fromRight: part == _parts - 1);
            }
            else
            {
                RunClaimedRows(fromRight: part == _parts - 1);
            }

            return;
        }

        // Part t owns panels [t*P/parts, (t+1)*P/parts): contiguous, balanced to within one panel.
        int first = (int)((long)part * _panels / _parts) * _panelSize;
        int last = (int)((long)(part + 1) * _panels / _parts) * _panelSize;
        if (_splitColumns)
        {
            PackedGemm<T>.RunBlock(in _job, 0, _job.M, first, Math.Min(last, _job.N));
            _job.Epilogue.Apply(_job.C, _job.Ldc, 0, _job.M, first, Math.Min(last, _job.N));
        }
        else
        {
            PackedGemm<T>.RunBlock(in _job, first, Math.Min(last, _job.M), 0, _job.N);
            _job.Epilogue.Apply(_job.C, _job.Ldc, first, Math.Min(last, _job.M), 0, _job.N);
        }
    }

    /// <summary>Computes chunks until none is left, claiming them from the right end or the left.</summary>
    private void RunClaimed(bool fromRight)
    {
        // A copy on this thread's stack: the claims write this object, and the kernels' set-up should not read the job
        // from a line the other thread keeps taking away.
        PackedGemm<T>.Job job = _job;
        int chunkColumns = ChunkPanels * _panelSize;
        for (int chunk = _chunks.Claim(fromRight); chunk >= 0; chunk = _chunks.Claim(fromRight))
        {
            int c0 = chunk * chunkColumns, c1 = Math.Min(c0 + chunkColumns, job.N);
            PackedGemm<T>.RunBlock(in job, 0, job.M, c0, c1);
            job.Epilogue.Apply(job.C, job.Ldc, 0, job.M, c0, c1);
        }
    }

    /// <summary>Packs op(B) once, then computes chunks of rows until none is left, claiming them from the bottom or the top.</summary>
    private void RunClaimedRows(bool fromRight)
    {
        PackedGemm<T>.Job job = _job;
        T* packB = PackedGemm<T>.PackWholeB(in job);
        int chunkRows = ChunkPanels * _panelSize;
        for (int chunk = _chunks.Claim(fromRight); chunk >= 0; chunk = _chunks.Claim(fromRight))
        {
            int r0 = chunk * chunkRows, r1 = Math.Min(r0 + chunkRows, job.M);
            PackedGemm<T>.RunRows(in job, r0, r1, packB);
            job.Epilogue.Apply(job.C, job.Ldc, r0, r1, 0, job.N);
        }
    }
}
