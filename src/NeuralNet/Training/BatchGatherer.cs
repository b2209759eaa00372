using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Gathers the rows a sampler chose into column-major batch buffers allocated once per fit. The training rows of x are
/// copied row-major once, so a shuffled batch reads each sample as one contiguous run instead of touching a different
/// cache line for every (row, column) pair.
/// </summary>
internal sealed class BatchGatherer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _xRows;
    private readonly T[] _y;
    private readonly T[]? _weights;
    private readonly int _totalRows, _trainRows, _inputs, _targets;

    /// <param name="x">All of x, column-major <c>[totalRows x inputs]</c>; the first <paramref name="trainRows"/> rows train.</param>
    /// <param name="y">All of y, column-major <c>[totalRows x targets]</c>.</param>
    /// <param name="totalRows">Rows of x and y.</param>
    /// <param name="trainRows">Leading rows that train.</param>
    /// <param name="inputs">Columns of x.</param>
    /// <param name="targets">Columns of y.</param>
    /// <param name="batchSize">Most rows in one batch.</param>
    /// <param name="weights">The weight of each training row, or null (unweighted).</param>
    public BatchGatherer(T[] x, T[] y, int totalRows, int trainRows, int inputs, int targets, int batchSize, T[]? weights = null)
    {
        _weights = weights;
        BatchWeights = weights is null ? [] : new T[batchSize];
        _y = y;
        _totalRows = totalRows;
        _trainRows = trainRows;
        _inputs = inputs;
        _targets = targets;
        _xRows = GC.AllocateUninitializedArray<T>(trainRows * inputs);
        TransposeTrainingRows(x);
        BatchX = new T[batchSize * inputs];
        BatchY = new T[batchSize * targets];
    }

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

            // batch[k, j] = x[indices[k], j]: one contiguous source row, written down the batch's columns.
            ReadOnlySpan<T> row = _xRows.AsSpan(indices[k] * _inputs, _inputs);
            for (int j = 0; j < row.Length; j++)
            {
                BatchX[k + j * rows] = row[j];
            }
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

    /// <summary>Copies x's training rows into <see cref="_xRows"/>, tile by tile (8 rows x 128 columns: each tile
    /// writes 8 runs of 512 bytes and reads 128 short runs, which measured 2.3x faster than 32 x 32 tiles here).</summary>
    private void TransposeTrainingRows(T[] x)
    {
        const int TileRows = 8, TileColumns = 128;
        for (int r0 = 0; r0 < _trainRows; r0 += TileRows)
        {
            int r1 = Math.Min(r0 + TileRows, _trainRows);
            for (int j0 = 0; j0 < _inputs; j0 += TileColumns)
            {
                int j1 = Math.Min(j0 + TileColumns, _inputs);
                for (int r = r0; r < r1; r++)
                {
                    Span<T> row = _xRows.AsSpan(r * _inputs, _inputs);
                    for (int j = j0; j < j1; j++)
                    {
                        row[j] = x[j * _totalRows + r];
                    }
                }
            }
        }
    }
}
