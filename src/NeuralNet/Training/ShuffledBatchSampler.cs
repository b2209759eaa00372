namespace NeuralNet.Training;

/// <summary>
/// The trainer's default sampler: consecutive slices of a row permutation, <c>batchSize</c> rows each (the last slice
/// may be shorter). With shuffling on, each epoch permutes the previous epoch's order once more with a
/// <see cref="RandomSource"/> seeded by <c>seed</c> (Fisher–Yates), so epoch <c>e</c>'s order is the result of
/// <c>e + 1</c> shuffles of <c>0, 1, …, rows - 1</c>: replayed exactly when a run resumes.
/// </summary>
public sealed class ShuffledBatchSampler : IBatchSampler
{
    private readonly int[] _indices;
    private readonly int _batchSize;
    private readonly long _seed;
    private readonly bool _shuffle;
    private RandomSource _random;
    private int _shuffled;

    /// <summary>Creates the sampler.</summary>
    /// <param name="rows">Training rows, at least 1.</param>
    /// <param name="batchSize">Rows per batch, at least 1 (capped at <paramref name="rows"/>).</param>
    /// <param name="seed">Seed of the shuffles.</param>
    /// <param name="shuffle">False keeps the rows in order in every epoch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="batchSize"/> is not positive.</exception>
    public ShuffledBatchSampler(int rows, int batchSize, long seed, bool shuffle = true)
    {
        ThrowHelper.ThrowIfNotPositive(rows, nameof(rows));
        ThrowHelper.ThrowIfNotPositive(batchSize, nameof(batchSize));
        _indices = new int[rows];
        _batchSize = Math.Min(batchSize, rows);
        _seed = seed;
        _shuffle = shuffle;
        _random = new RandomSource(seed);
        Reset();
        BatchCount = (rows + _batchSize - 1) / _batchSize;
    }

    /// <inheritdoc />
    public int BatchCount { get; }

    /// <summary>Rows per full batch.</summary>
    public int BatchSize => _batchSize;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public void BeginEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (!_shuffle)
        {
            return;
        }

        if (epoch + 1 < _shuffled)
        {
            // An earlier epoch than the last one prepared: start again from the identity and replay.
            Reset();
        }

        while (_shuffled <= epoch)
        {
            _random.Shuffle(_indices.AsSpan());
            _shuffled++;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is outside <c>[0, BatchCount)</c>.</exception>
    public ReadOnlySpan<int> GetBatch(int batch)
    {
        if ((uint)batch >= (uint)BatchCount)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"batch must be in [0, {BatchCount}). Received: batch={batch}");
        }

        int start = batch * _batchSize;
        return _indices.AsSpan(start, Math.Min(_batchSize, _indices.Length - start));
    }

    private void Reset()
    {
        for (int i = 0; i < _indices.Length; i++)
        {
            _indices[i] = i;
        }

        _random = new RandomSource(_seed);
        _shuffled = 0;
    }
}
