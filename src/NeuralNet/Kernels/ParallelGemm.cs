using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Splits C into independent blocks, one per thread: whole NR-column panels when C is at least as wide as it is
/// tall, whole MR-row panels otherwise. Each thread packs what it needs into its own buffers; nothing is shared but
/// the read-only inputs, and no element of C is touched by two threads. Each thread then applies the job's
/// <see cref="GemmEpilogue{T}"/> to its own block.
/// </summary>
internal sealed unsafe class ParallelGemm<T> : IGemmWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this many multiply-adds per thread, waking another thread costs more than it saves.</summary>
    internal const long MinMultiplyAddsPerThread = 1L << 19;

    [ThreadStatic] private static ParallelGemm<T>? s_instance;

    private PackedGemm<T>.Job _job;
    private bool _splitColumns;
    private int _panels;
    private int _panelSize;
    private int _parts;

    /// <summary>Runs the packed GEMM on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in PackedGemm<T>.Job job, int threads)
    {
        (int mr, int nr) = PackedGemm<T>.Geometry(job.Path);
        bool splitColumns = job.N >= job.M;
        int panelSize = splitColumns ? nr : mr;
        int panels = ((splitColumns ? job.N : job.M) + panelSize - 1) / panelSize;
        long work = (long)job.M * job.N * job.K;
        int parts = (int)Math.Min(Math.Min(threads, panels), Math.Max(1, work / MinMultiplyAddsPerThread));
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
        if (!GemmWorkers.TryRun(self, parts))
        {
            PackedGemm<T>.RunBlock(in job, 0, job.M, 0, job.N);
            job.Epilogue.Apply(job.C, job.Ldc, 0, job.M, 0, job.N);
        }
    }

    /// <inheritdoc />
    public void Run(int part)
    {
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
}
