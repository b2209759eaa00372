using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Losses;

/// <summary>Shared pieces of the cross-entropies on column-major <c>[batch x classes]</c> buffers.</summary>
internal static class CrossEntropyMath
{
    /// <summary>Smallest probability fed to <c>log</c> (Keras' epsilon), so <c>p = 0</c> gives a large finite loss.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>Rents a buffer of <paramref name="batchSize"/> and fills it with <c>lse_b = m_b + ln sum_k e^(z_bk - m_b)</c>.</summary>
    public static T[] LogSumExpRows<T>(ReadOnlySpan<T> logits, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = logits.Length / batchSize;
        T[] rented = ArrayPool<T>.Shared.Rent(3 * batchSize);
        Span<T> max = rented.AsSpan(0, batchSize), sum = rented.AsSpan(batchSize, batchSize), tmp = rented.AsSpan(2 * batchSize, batchSize);
        logits[..batchSize].CopyTo(max);
        for (int j = 1; j < classes; j++)
        {
            TensorPrimitives.Max(logits.Slice(j * batchSize, batchSize), max, max);
        }

        sum.Clear();
        for (int j = 0; j < classes; j++)
        {
            TensorPrimitives.Subtract(logits.Slice(j * batchSize, batchSize), max, tmp);
            TensorPrimitives.Exp(tmp, tmp);
            TensorPrimitives.Add(sum, tmp, sum);
        }

        TensorPrimitives.Log(sum, sum);
        TensorPrimitives.Add(max, sum, max);
        return rented;
    }

    /// <summary>Reads and checks an integer class label stored as a floating-point value.</summary>
    public static int Label<T>(T value, int row, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsInteger(value) || value < T.Zero || value >= T.CreateTruncating(classes))
        {
            throw new ArgumentException($"target row {row} holds class label {value}, but labels must be integers in [0, {classes}).", "target");
        }

        return int.CreateTruncating(value);
    }
}
