using NeuralNet.Activations;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Onnx.Activations;

/// <summary>
/// Row-wise log-softmax, ONNX <c>LogSoftmax</c> on axis 1 and PyTorch's <c>nn.LogSoftmax(dim=1)</c>:
/// <c>f(z)_j = z_j - m - ln Σ_k e^(z_k - m)</c> with <c>m = max_k z_k</c>. Vector-Jacobian product:
/// <c>dz_j = g_j - e^(f_j) Σ_k g_k</c>. Registered under the name <c>log_softmax</c>.
/// </summary>
public sealed class LogSoftmax : IActivation
{
    private LogSoftmax() { }

    /// <summary>The shared instance.</summary>
    public static LogSoftmax Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "log_softmax";

    /// <summary>Registers <c>log_softmax</c> with <see cref="Activation.FromName"/> so model files of imported networks
    /// load. The importer and exporter call it; calling it again does nothing new.</summary>
    public static void Register() => Activation.Register(Instance.Name, () => Instance);

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = input.Length / batchSize;
        T[] rented = ArrayPool<T>.Shared.Rent(3 * batchSize);
        Span<T> rowMax = rented.AsSpan(0, batchSize), rowSum = rented.AsSpan(batchSize, batchSize), scratch = rented.AsSpan(2 * batchSize, batchSize);

        // Columns are contiguous, so row-wise reductions are element-wise operations across columns.
        input[..batchSize].CopyTo(rowMax);
        for (int j = 1; j < units; j++)
        {
            TensorPrimitives.Max(input.Slice(j * batchSize, batchSize), rowMax, rowMax);
        }

        rowSum.Clear();
        for (int j = 0; j < units; j++)
        {
            TensorPrimitives.Subtract(input.Slice(j * batchSize, batchSize), rowMax, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            TensorPrimitives.Add(rowSum, scratch, rowSum);
        }

        // m + ln Σ e^(z - m), then f = z - that.
        TensorPrimitives.Log(rowSum, rowSum);
        TensorPrimitives.Add(rowSum, rowMax, rowSum);
        for (int j = 0; j < units; j++)
        {
            TensorPrimitives.Subtract(input.Slice(j * batchSize, batchSize), rowSum, output.Slice(j * batchSize, batchSize));
        }

        ArrayPool<T>.Shared.Return(rented);
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = output.Length / batchSize;
        T[] rented = ArrayPool<T>.Shared.Rent(2 * batchSize);
        Span<T> rowSum = rented.AsSpan(0, batchSize), softmax = rented.AsSpan(batchSize, batchSize);
        rowSum.Clear();
        for (int j = 0; j < units; j++)
        {
            TensorPrimitives.Add(rowSum, outputGradient.Slice(j * batchSize, batchSize), rowSum);
        }

        for (int j = 0; j < units; j++)
        {
            // dz = g - softmax Σg, softmax = e^f.
            TensorPrimitives.Exp(output.Slice(j * batchSize, batchSize), softmax);
            TensorPrimitives.Multiply(softmax, rowSum, softmax);
            TensorPrimitives.Subtract(outputGradient.Slice(j * batchSize, batchSize), softmax, inputGradient.Slice(j * batchSize, batchSize));
        }

        ArrayPool<T>.Shared.Return(rented);
    }
}
