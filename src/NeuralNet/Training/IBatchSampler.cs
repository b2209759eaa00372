namespace NeuralNet.Training;

/// <summary>
/// Decides which training rows form each batch of an epoch. The training loop calls <see cref="BeginEpoch"/> once per
/// epoch, then <see cref="GetBatch"/> for batches <c>0 .. BatchCount - 1</c>, and gathers the rows it returns.
/// </summary>
/// <remarks>
/// A sampler must be deterministic: the same epoch gives the same batches whatever happened before, so a run resumed at
/// epoch <c>e</c> (<see cref="BeginEpoch"/> called with <c>e</c> first) sees the batches of the uninterrupted run. A data-
/// parallel worker uses a sampler that returns its contiguous part of each global batch; that part may be empty, and
/// then the loop hands the step zero gradients and <see cref="StepContext{T}.Rows"/> = 0.
/// </remarks>
public interface IBatchSampler
{
    /// <summary>Batches in every epoch.</summary>
    int BatchCount { get; }

    /// <summary>Prepares epoch <paramref name="epoch"/> (0-based), e.g. by shuffling.</summary>
    /// <param name="epoch">The epoch about to run.</param>
    void BeginEpoch(int epoch);

    /// <summary>The training rows (indices into the training data) of batch <paramref name="batch"/> of the current
    /// epoch, valid until the next call.</summary>
    /// <param name="batch">Batch index, 0-based, below <see cref="BatchCount"/>.</param>
    ReadOnlySpan<int> GetBatch(int batch);
}
