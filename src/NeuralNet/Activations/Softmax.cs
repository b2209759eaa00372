using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Activations;

/// <summary>
/// Row-wise softmax: <c>f(z)_j = e^(z_j - m) / sum_k e^(z_k - m)</c> with <c>m = max_k z_k</c> (subtracting the
/// row maximum changes nothing mathematically and keeps <c>e^x</c> from overflowing). Its vector-Jacobian product is
/// <c>dz_j = a_j (g_j - sum_k g_k a_k)</c>. Paired with categorical cross-entropy the network uses the fused, exact
/// delta <c>a - y</c> instead.
/// </summary>
public sealed class Softmax : IActivation
{
    /// <summary>The shared instance.</summary>
    public static Softmax Instance { get; } = new();

    private Softmax() { }

    /// <inheritdoc />
    public string Name => "softmax";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = input.Length / batchSize;
        T[] rented = ArrayPool<T>.Shared.Rent(2 * batchSize);
        Span<T> rowMax = rented.AsSpan(0, batchSize), rowSum = rented.AsSpan(batchSize, batchSize);

        // Columns are contiguous, so the row-wise max and sum are element-wise operations across columns.
        input[..batchSize].CopyTo(rowMax);
        for (int j = 1; j < units; j++)
        {
            TensorPrimitives.Max(input.Slice(j * batchSize, batchSize), rowMax, rowMax);
        }

        rowSum.Clear();
        for (int j = 0; j < units; j++)
        {
            Span<T> column = output.Slice(j * batchSize, batchSize);
            TensorPrimitives.Subtract(input.Slice(j * batchSize, batchSize), rowMax, column);
            TensorPrimitives.Exp(column, column);
            TensorPrimitives.Add(rowSum, column, rowSum);
        }

        for (int j = 0; j < units; j++)
        {
            Span<T> column = output.Slice(j * batchSize, batchSize);
            TensorPrimitives.Divide(column, rowSum, column);
        }

        ArrayPool<T>.Shared.Return(rented);
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = output.Length / batchSize;
        T[] rented = ArrayPool<T>.Shared.Rent(batchSize);
        Span<T> rowDot = rented.AsSpan(0, batchSize);

        // rowDot[b] = sum_k g[b, k] a[b, k]
        rowDot.Clear();
        for (int j = 0; j < units; j++)
        {
            TensorPrimitives.MultiplyAdd(outputGradient.Slice(j * batchSize, batchSize), output.Slice(j * batchSize, batchSize), rowDot, rowDot);
        }

        for (int j = 0; j < units; j++)
        {
            ReadOnlySpan<T> a = output.Slice(j * batchSize, batchSize);
            Span<T> dz = inputGradient.Slice(j * batchSize, batchSize);
            TensorPrimitives.Subtract(outputGradient.Slice(j * batchSize, batchSize), rowDot, dz);
            TensorPrimitives.Multiply(dz, a, dz);
        }

        ArrayPool<T>.Shared.Return(rented);
    }
}
