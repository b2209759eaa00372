using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Training;

/// <summary>
/// Gathers the rows a sampler chose into column-major batch buffers allocated once per fit. The training rows of x are
/// copied row-major once, so a shuffled batch reads each sample as one contiguous run instead of touching a different
/// cache line for every (row, column) pair. Both copies are transposes done in register tiles
/// (<see cref="BlockTranspose"/>) and split over the GEMM's worker threads (<see cref="Gemm.MaxDegreeOfParallelism"/>):
/// each part writes its own rows, and values are only moved, so the batches hold the same bits on any thread count.
/// </summary>
internal sealed unsafe class BatchGatherer<T> : IGemmWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of x transposed per band at set-up: each of x's columns is read in runs of 1024 values (4 KiB in
    /// float), long enough for the hardware prefetchers to stream them. With runs of 64 values (256 bytes) the 784 column
    /// streams of a band were fetched a few lines at a time on demand and the copy of 60,000 x 784 floats took about
    /// twice as long (docs/benchmarks.md, "Intel Xeon figures"). Each destination line is completed by two neighbouring
    /// tiles, so the band's size does not have to fit in a cache.</summary>
    private const int StagingRows = 1024;

    /// <summary>Below this many values per part, waking another thread costs more than it saves.</summary>
    private const int MinValuesPerPart = 1 << 14;

    /// <summary>Elements of slack at the start of the row-major copy, so that its first row can begin on a 64-byte line.</summary>
    private static readonly int Slack = 64 / sizeof(T);

    private readonly T[] _xRows;

    /// <summary>Where the row-major copy starts in <see cref="_xRows"/>: its first 64-byte aligned element when staged
    /// (an element offset, so it stays right if the array moves; only the alignment would be lost).</summary>
    private readonly int _offset;
    private readonly T[] _y;
    private readonly T[]? _weights;
    private readonly int _totalRows, _trainRows, _inputs, _targets;

    // The job handed to the worker threads (set for the duration of one TryRun).
    private T* _source, _destination;
    private int* _index;
    private int _rows, _parts;
    private bool _staging;

    /// <summary>Set by a part of the staging copy that met NaN or an infinity.</summary>
    private bool _nonFinite;

    /// <param name="x">All of x, column-major <c>[totalRows x inputs]</c>; the first <paramref name="trainRows"/> rows train.</param>
    /// <param name="y">All of y, column-major <c>[totalRows x targets]</c>.</param>
    /// <param name="totalRows">Rows of x and y.</param>
    /// <param name="trainRows">Leading rows that train.</param>
    /// <param name="inputs">Columns of x.</param>
    /// <param name="targets">Columns of y.</param>
    /// <param name="batchSize">Most rows in one batch.</param>
    /// <param name="weights">The weight of each training row, or null (unweighted).</param>
    /// <param name="staging">A buffer of at least <c>trainRows · inputs + 64 / sizeof(T)</c> values to hold the row-major copy (its
    /// contents are overwritten), or null to allocate one.</param>
    public BatchGatherer(T[] x, T[] y, int totalRows, int trainRows, int inputs, int targets, int batchSize, T[]? weights = null, T[]? staging = null)
    {
        _weights = weights;
        BatchWeights = weights is null ? [] : new T[batchSize];
        _y = y;
        _totalRows = totalRows;
        _trainRows = trainRows;
        _inputs = inputs;
        _targets = targets;
        long length = StagingLength(trainRows, inputs);
        _xRows = staging is not null && staging.LongLength >= length ? staging : LargeArrays.AllocateUninitialized<T>(checked((int)length));
        fixed (T* px = x, pr = _xRows)
        {
            _offset = (int)((-(nint)pr & 63) / sizeof(T));
            Run(px, pr + _offset, null, trainRows, staging: true);
        }

        BatchX = AlignedArrays.Allocate<T>(batchSize * inputs);
        BatchY = new T[batchSize * targets];
    }

    /// <summary>Values of the staging buffer for <paramref name="trainRows"/> rows of <paramref name="inputs"/> values:
    /// the rows and the slack that lets the copy start on a 64-byte boundary.</summary>
    public static long StagingLength(int trainRows, int inputs) => (long)trainRows * inputs + Slack;

    /// <summary>False when the training rows of x hold NaN or an infinity, found while they were copied (each band of
    /// the copy is checked while it is still in cache, so the trainer does not need a pass of its own over them).</summary>
    public bool StagedFinite => !_nonFinite;

    /// <summary>The buffer of the row-major copy of the training rows, for reuse by a later fit.</summary>
    public T[] Staging => _xRows;

    /// <summary>The input buffer: the last batch occupies its first <c>rows · inputs</c> values.</summary>
    public T[] BatchX { get; }

    /// <summary>The row-weight buffer (empty when unweighted): the last batch occupies its first <c>rows</c> values.</summary>
    public T[] BatchWeights { get; }

    /// <summary>The weights of the last batch's rows, or empty when unweighted.</summary>
    public ReadOnlySpan<T> Weights(int rows) => _weights is null ? ReadOnlySpan<T>.Empty : BatchWeights.AsSpan(0, rows);

    /// <summary>The target buffer: the last batch occupies its first <c>rows · targets</c> values.</summary>
    public T[] BatchY { get; }

    /// <summary>Copies the training rows <paramref name="indices"/> into the batch buffers, column-major.</summary>
    /// <exception cref="ArgumentException">More rows than the buffers hold, or a row outside the training rows.</exception>
    public void Gather(ReadOnlySpan<int> indices)
    {
        int rows = indices.Length;
        if (rows * _inputs > BatchX.Length)
        {
            throw new ArgumentException($"The sampler returned {rows} rows but batches hold at most {BatchX.Length / Math.Max(1, _inputs)}.", nameof(indices));
        }

        for (int k = 0; k < rows; k++)
        {
            if ((uint)indices[k] >= (uint)_trainRows)
            {
                throw new ArgumentException($"The sampler returned row {indices[k]} but there are {_trainRows} training rows.", nameof(indices));
            }
        }

        // batch[k, j] = x[indices[k], j]: contiguous source rows, transposed into the batch's columns.
        fixed (T* pr = _xRows, pb = BatchX)
        fixed (int* pi = indices)
        {
            Run(pr + _offset, pb, pi, rows, staging: false);
        }

        for (int j = 0; j < _targets; j++)
        {
            ReadOnlySpan<T> column = _y.AsSpan(j * _totalRows, _totalRows);
            Span<T> destination = BatchY.AsSpan(j * rows, rows);
            for (int k = 0; k < rows; k++)
            {
                destination[k] = column[indices[k]];
            }
        }

        if (_weights is not null)
        {
            for (int k = 0; k < rows; k++)
            {
                BatchWeights[k] = _weights[indices[k]];
            }
        }
    }

    /// <summary>One copy of <paramref name="rows"/> rows (training rows at set-up, batch rows when gathering), split
    /// into row ranges over the worker threads when it is large enough.</summary>
    private void Run(T* source, T* destination, int* index, int rows, bool staging)
    {
        _source = source;
        _destination = destination;
        _index = index;
        _rows = rows;
        _staging = staging;
        long values = (long)rows * _inputs;
        int parts = (int)Math.Min(Math.Min(Gemm.MaxDegreeOfParallelism, Math.Max(1, rows / 16)), Math.Max(1, values / MinValuesPerPart));
        _parts = parts;
        if (parts <= 1 || !GemmWorkers.TryRun(this, parts))
        {
            _parts = 1;
            Run(0);
        }

        _source = _destination = null;
        _index = null;
    }

    /// <summary>Part <paramref name="part"/> of the current copy: rows <c>[r0, r1)</c>, split on multiples of 16 so no
    /// two parts write into one 64-byte line of a batch column.</summary>
    public void Run(int part)
    {
        int blocks = (_rows + 15) / 16;
        int r0 = Math.Min(_rows, (int)((long)part * blocks / _parts) * 16);
        int r1 = Math.Min(_rows, (int)((long)(part + 1) * blocks / _parts) * 16);
        if (_staging)
        {
            // xRows[r, j] = x[r, j]: x's columns are the source rows (stride totalRows), the copy's rows the destination
            // columns (stride inputs); a band of StagingRows rows at a time.
            for (int r = r0; r < r1; r += StagingRows)
            {
                int n = Math.Min(StagingRows, r1 - r);
                BlockTranspose.RowsStreaming(_source + r, _totalRows, _inputs, n, _destination + (long)r * _inputs, _inputs);
                for (int j = 0; j < _inputs && !_nonFinite; j++)
                {
                    if (!ThrowHelper.AllFinite(new ReadOnlySpan<T>(_source + r + (long)j * _totalRows, n)))
                    {
                        _nonFinite = true;
                    }
                }
            }
        }
        else
        {
            BlockTranspose.Rows(_source, _inputs, _index, r0, r1, _inputs, _destination, _rows);
        }
    }
}
