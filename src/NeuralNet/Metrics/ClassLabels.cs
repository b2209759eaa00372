using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Metrics;

/// <summary>Turns outputs and targets into class indices, the way every classification metric reads them.</summary>
internal static class ClassLabels
{
    /// <summary>Number of classes: the output columns, or 2 for a single (sigmoid) output.</summary>
    public static int ClassCount<T>(Matrix<T> prediction) where T : unmanaged, IFloatingPointIeee754<T> =>
        prediction.ColumnCount == 1 ? 2 : prediction.ColumnCount;

    public static void Check<T>(Matrix<T> prediction, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.RowCount != target.RowCount)
        {
            throw new ArgumentException($"prediction has {prediction.RowCount} rows but target has {target.RowCount} (prediction {ThrowHelper.Shape(prediction)}, target {ThrowHelper.Shape(target)}).", nameof(target));
        }

        if (target.ColumnCount != 1 && target.ColumnCount != prediction.ColumnCount)
        {
            throw new ArgumentException($"expected one-hot targets with {prediction.ColumnCount} columns or one column of class indices, got target {ThrowHelper.Shape(target)} (prediction {ThrowHelper.Shape(prediction)}).", nameof(target));
        }
    }

    /// <summary>The predicted class of row <paramref name="row"/>.</summary>
    public static int Predicted<T>(T[] prediction, int rows, int columns, int row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (columns == 1)
        {
            return prediction[row] >= T.CreateTruncating(0.5) ? 1 : 0;
        }

        int best = 0;
        T bestValue = prediction[row];
        for (int j = 1; j < columns; j++)
        {
            T v = prediction[j * rows + row];
            if (v > bestValue)
            {
                bestValue = v;
                best = j;
            }
        }

        return best;
    }

    /// <summary>The true class of row <paramref name="row"/>.</summary>
    public static int Actual<T>(T[] target, int rows, int columns, int row, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (columns == 1)
        {
            double value = double.CreateTruncating(target[row]);
            int label = (int)Math.Round(value);
            if (label < 0 || label >= classes || Math.Abs(value - label) > 1e-6)
            {
                throw new ArgumentException($"target row {row} holds {value}, not a class index in [0, {classes}).", nameof(target));
            }

            return label;
        }

        return Predicted(target, rows, columns, row);
    }
}
