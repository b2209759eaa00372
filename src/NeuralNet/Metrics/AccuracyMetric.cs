using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Metrics;

/// <summary>Top-k accuracy: the fraction of rows whose true class is among the <c>k</c> highest outputs; <c>k = 1</c>
/// is plain accuracy (a single sigmoid output is thresholded at 0.5).</summary>
public sealed class AccuracyMetric : IMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest outputs count as a hit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    public AccuracyMetric(int k = 1)
    {
        ThrowHelper.ThrowIfNotPositive(k, nameof(k));
        K = k;
    }

    /// <summary><c>k</c>.</summary>
    public int K { get; }

    /// <inheritdoc />
    public string Name => K == 1 ? "accuracy" : string.Create(CultureInfo.InvariantCulture, $"top_{K}_accuracy");

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public double Compute<T>(Matrix<T> prediction, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ClassLabels.Check(prediction, target);
        int rows = prediction.RowCount, columns = prediction.ColumnCount, classes = ClassLabels.ClassCount(prediction);
        T[] p = ThrowHelper.ColumnMajor(prediction), y = ThrowHelper.ColumnMajor(target);
        long hits = 0;
        for (int r = 0; r < rows; r++)
        {
            int actual = ClassLabels.Actual(y, rows, target.ColumnCount, r, classes);
            if (K == 1 || columns == 1)
            {
                hits += ClassLabels.Predicted(p, rows, columns, r) == actual ? 1 : 0;
                continue;
            }

            // The true class is in the top k when fewer than k classes score strictly higher.
            T score = p[actual * rows + r];
            int higher = 0;
            for (int j = 0; j < columns; j++)
            {
                if (p[j * rows + r] > score)
                {
                    higher++;
                }
            }

            hits += higher < K ? 1 : 0;
        }

        return rows == 0 ? 0 : (double)hits / rows;
    }
}
