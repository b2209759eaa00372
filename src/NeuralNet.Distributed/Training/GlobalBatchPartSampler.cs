using NeuralNet.Training;

namespace NeuralNet.Distributed.Training;

/// <summary>
/// One worker's share of the single-node batches: batch b is rows <c>[⌊i·m/n⌋, ⌊(i+1)·m/n⌋)</c> of the
/// <see cref="ShuffledBatchSampler"/>'s batch b (m rows) for worker i of n, so the n workers' parts tile every global
/// batch in worker order. With <see cref="ParameterServerStep{T}"/> in synchronous mode, n training loops using these
/// samplers train exactly like one loop on the whole batches.
/// </summary>
public sealed class GlobalBatchPartSampler : IBatchSampler
{
    private readonly ShuffledBatchSampler _global;

    /// <summary>Creates the sampler.</summary>
    /// <param name="rows">Training rows, at least 1.</param>
    /// <param name="globalBatchSize">Rows per global batch, at least 1.</param>
    /// <param name="seed">Seed of the shuffles (the single-node trainer's <c>TrainerOptions.Seed</c>).</param>
    /// <param name="shuffle">Whether rows are shuffled every epoch.</param>
    /// <param name="worker">This worker's position i, in [0, n).</param>
    /// <param name="workers">Workers n, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public GlobalBatchPartSampler(int rows, int globalBatchSize, long seed, bool shuffle, int worker, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (worker < 0 || worker >= workers)
        {
            throw new ArgumentOutOfRangeException(nameof(worker), worker, $"worker must be in [0, {workers}). Received: worker={worker}");
        }

        _global = new ShuffledBatchSampler(rows, globalBatchSize, seed, shuffle);
        Worker = worker;
        Workers = workers;
    }

    /// <summary>This worker's position.</summary>
    public int Worker { get; }

    /// <summary>The number of workers.</summary>
    public int Workers { get; }

    /// <inheritdoc />
    public int BatchCount => _global.BatchCount;

    /// <inheritdoc />
    public void BeginEpoch(int epoch) => _global.BeginEpoch(epoch);

    /// <inheritdoc />
    public ReadOnlySpan<int> GetBatch(int batch)
    {
        ReadOnlySpan<int> all = _global.GetBatch(batch);
        return all[(int)((long)Worker * all.Length / Workers)..(int)((long)(Worker + 1) * all.Length / Workers)];
    }

    /// <summary>Rows m of global batch <paramref name="batch"/> of the current epoch.</summary>
    /// <param name="batch">The batch, 0-based.</param>
    public int GlobalRows(int batch) => _global.GetBatch(batch).Length;
}
