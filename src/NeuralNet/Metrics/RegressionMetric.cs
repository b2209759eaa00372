using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Metrics;

/// <summary>
/// Regression metrics over every output: mean squared error <c>Σ(p - y)² / (N K)</c>, mean absolute error
/// <c>Σ|p - y| / (N K)</c>, and the coefficient of determination <c>R² = 1 - Σ(p - y)² / Σ(y - ȳ)²</c> per output column,
/// averaged over the columns (scikit-learn's <c>r2_score</c>; a constant target column scores 1 when predicted exactly,
/// else 0).
/// </summary>
public sealed class RegressionMetric : IMetric
{
    private readonly int _kind;

    private RegressionMetric(string name, int kind, bool higherIsBetter)
    {
        Name = name;
        _kind = kind;
        HigherIsBetter = higherIsBetter;
    }

    /// <summary>Mean squared error, named <c>mse</c>.</summary>
    public static RegressionMetric MeanSquaredError { get; } = new("mse", 0, false);

    /// <summary>Mean absolute error, named <c>mae</c>.</summary>
    public static RegressionMetric MeanAbsoluteError { get; } = new("mae", 1, false);

    /// <summary>Coefficient of determination, named <c>r2</c>.</summary>
    public static RegressionMetric RSquared { get; } = new("r2", 2, true);

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool HigherIsBetter { get; }

    /// <inheritdoc />
    public double Compute<T>(Matrix<T> prediction, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.RowCount != target.RowCount || prediction.ColumnCount != target.ColumnCount)
        {
            throw new ArgumentException($"{Name} needs prediction and target of one shape, got prediction {ThrowHelper.Shape(prediction)} and target {ThrowHelper.Shape(target)}.", nameof(target));
        }

        T[] p = ThrowHelper.ColumnMajor(prediction), y = ThrowHelper.ColumnMajor(target);
        int rows = prediction.RowCount;
        if (_kind < 2)
        {
            double sum = 0;
            for (int i = 0; i < p.Length; i++)
            {
                double d = double.CreateTruncating(p[i]) - double.CreateTruncating(y[i]);
                sum += _kind == 0 ? d * d : Math.Abs(d);
            }

            return p.Length == 0 ? 0 : sum / p.Length;
        }

        double total = 0;
        for (int j = 0; j < prediction.ColumnCount; j++)
        {
            double mean = 0;
            for (int r = 0; r < rows; r++)
            {
                mean += double.CreateTruncating(y[j * rows + r]);
            }

            mean /= rows;
            double residual = 0, spread = 0;
            for (int r = 0; r < rows; r++)
            {
                double yr = double.CreateTruncating(y[j * rows + r]);
                double d = double.CreateTruncating(p[j * rows + r]) - yr;
                residual += d * d;
                spread += (yr - mean) * (yr - mean);
            }

            total += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / spread;
        }

        return total / prediction.ColumnCount;
    }
}
