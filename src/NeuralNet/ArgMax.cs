using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>
/// The index of the largest value, per span or per matrix row: how a class is read from scores, probabilities or
/// one-hot targets. Ties go to the first index (as NumPy's <c>argmax</c>); a NaN is never larger than a number.
/// </summary>
public static class ArgMax
{
    /// <summary>The index <c>i</c> with the largest <c>values[i]</c>, the first one on a tie.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>An index in <c>[0, values.Length)</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int Of<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("ArgMax needs at least one value.", nameof(values));
        }

        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best] || (T.IsNaN(values[best]) && !T.IsNaN(values[i])))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The arg-max of every row of <paramref name="matrix"/>: <c>result[r] = argmax_k matrix[r, k]</c>.</summary>
    /// <param name="matrix"><c>[rows x columns]</c>, at least one column.</param>
    /// <returns>One index per row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> has no columns.</exception>
    public static int[] Rows<T>(Matrix<T> matrix) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.ColumnCount == 0)
        {
            throw new ArgumentException($"ArgMax needs at least one column, got {ThrowHelper.Shape(matrix)}.", nameof(matrix));
        }

        T[] values = ThrowHelper.ColumnMajor(matrix);
        int rows = matrix.RowCount;
        var result = new int[rows];
        for (int k = 1; k < matrix.ColumnCount; k++)
        {
            // Column k is contiguous: compare it against the best so far of every row.
            ReadOnlySpan<T> column = values.AsSpan(k * rows, rows);
            for (int r = 0; r < rows; r++)
            {
                T best = values[result[r] * rows + r];
                if (column[r] > best || (T.IsNaN(best) && !T.IsNaN(column[r])))
                {
                    result[r] = k;
                }
            }
        }

        return result;
    }
}
