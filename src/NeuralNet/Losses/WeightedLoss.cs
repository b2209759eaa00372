using System.Buffers;
using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>
/// The weighted batch loss <c>L = 1/B · Σ_b w_b · ℓ_b</c> (Keras' <c>sample_weight</c> with the
/// <c>sum_over_batch_size</c> reduction) for any <see cref="ILoss"/>: each row's loss <c>ℓ_b</c> is the loss of that row
/// alone (a batch of one), gathered from the column-major batch into a scratch row.
/// </summary>
internal static class WeightedLoss
{
    /// <summary>Returns <c>1/B · Σ_b w_b ℓ_b</c>.</summary>
    /// <param name="loss">The loss; with <paramref name="fromLogits"/> it is the fused <see cref="ILogitLoss"/>.</param>
    /// <param name="fromLogits">Whether <paramref name="values"/> are the fused layer's logits.</param>
    /// <param name="values">Predictions or logits, <c>[batchSize x outputs]</c> column-major.</param>
    /// <param name="target">Targets <c>[batchSize x targetColumns]</c> column-major.</param>
    /// <param name="weights">One weight per row.</param>
    /// <param name="batchSize">Rows.</param>
    public static T Compute<T>(ILoss loss, bool fromLogits, ReadOnlySpan<T> values, ReadOnlySpan<T> target, ReadOnlySpan<T> weights, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputs = values.Length / batchSize, targetColumns = target.Length / batchSize;
        T[] rented = ArrayPool<T>.Shared.Rent(outputs + targetColumns);
        Span<T> row = rented.AsSpan(0, outputs), targetRow = rented.AsSpan(outputs, targetColumns);
        T sum = T.Zero;
        try
        {
            for (int b = 0; b < batchSize; b++)
            {
                if (T.IsZero(weights[b]))
                {
                    continue;
                }

                // Row b of a column-major [B x K] block is every B-th value from offset b.
                for (int k = 0; k < outputs; k++)
                {
                    row[k] = values[b + k * batchSize];
                }

                for (int k = 0; k < targetColumns; k++)
                {
                    targetRow[k] = target[b + k * batchSize];
                }

                T rowLoss = fromLogits ? ((ILogitLoss)loss).ComputeFromLogits<T>(row, targetRow, 1) : loss.Compute<T>(row, targetRow, 1);
                sum += weights[b] * rowLoss;
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }

        return sum / T.CreateTruncating(batchSize);
    }
}
