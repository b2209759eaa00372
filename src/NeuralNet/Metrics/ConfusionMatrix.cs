using System.Globalization;
using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Metrics;

/// <summary>
/// Counts of (actual class, predicted class) pairs, with the per-class and macro-averaged precision
/// <c>TP / (TP + FP)</c>, recall <c>TP / (TP + FN)</c> and F1 <c>2 P R / (P + R)</c>. A ratio whose denominator is
/// zero counts as 0, as scikit-learn's default does.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>Creates a matrix from counts indexed <c>[actual, predicted]</c>.</summary>
    /// <param name="counts">Square matrix of non-negative counts.</param>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is null.</exception>
    /// <exception cref="ArgumentException">Not square, empty, or a negative count.</exception>
    public ConfusionMatrix(long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.GetLength(0) != counts.GetLength(1) || counts.GetLength(0) == 0)
        {
            throw new ArgumentException($"A confusion matrix is square and non-empty; received [{counts.GetLength(0)}x{counts.GetLength(1)}].", nameof(counts));
        }

        foreach (long c in counts)
        {
            if (c < 0)
            {
                throw new ArgumentException($"Counts must be non-negative; received {c}.", nameof(counts));
            }
        }

        _counts = (long[,])counts.Clone();
    }

    /// <summary>Builds the confusion matrix of a classifier's outputs (see <see cref="IMetric"/> for how classes are read).</summary>
    /// <param name="prediction">Outputs <c>[rows x classes]</c> (or one sigmoid column).</param>
    /// <param name="target">One-hot targets or one column of class indices.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match, or a target is not a class index.</exception>
    public static ConfusionMatrix Compute<T>(Matrix<T> prediction, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ClassLabels.Check(prediction, target);
        int classes = ClassLabels.ClassCount(prediction), rows = prediction.RowCount;
        T[] p = ThrowHelper.ColumnMajor(prediction), y = ThrowHelper.ColumnMajor(target);
        var counts = new long[classes, classes];
        for (int r = 0; r < rows; r++)
        {
            counts[ClassLabels.Actual(y, rows, target.ColumnCount, r, classes), ClassLabels.Predicted(p, rows, prediction.ColumnCount, r)]++;
        }

        return new ConfusionMatrix(counts);
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount => _counts.GetLength(0);

    /// <summary>Samples counted.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (long c in _counts)
            {
                total += c;
            }

            return total;
        }
    }

    /// <summary>Samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">A class index is out of range.</exception>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Fraction of samples on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long diagonal = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                diagonal += _counts[c, c];
            }

            return Ratio(diagonal, Total);
        }
    }

    /// <summary>Precision of class <paramref name="c"/>: <c>TP / (TP + FP)</c>, a column of the matrix.</summary>
    public double Precision(int c)
    {
        long column = 0;
        for (int a = 0; a < ClassCount; a++)
        {
            column += _counts[a, c];
        }

        return Ratio(_counts[c, c], column);
    }

    /// <summary>Recall of class <paramref name="c"/>: <c>TP / (TP + FN)</c>, a row of the matrix.</summary>
    public double Recall(int c)
    {
        long row = 0;
        for (int p = 0; p < ClassCount; p++)
        {
            row += _counts[c, p];
        }

        return Ratio(_counts[c, c], row);
    }

    /// <summary>F1 of class <paramref name="c"/>: <c>2 P R / (P + R)</c>.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Unweighted mean of the per-class precisions.</summary>
    public double MacroPrecision => Macro(Precision);

    /// <summary>Unweighted mean of the per-class recalls.</summary>
    public double MacroRecall => Macro(Recall);

    /// <summary>Unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 => Macro(F1);

    /// <summary>A table with actual classes as rows and predicted classes as columns.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("actual\\predicted");
        for (int p = 0; p < ClassCount; p++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{p,8}");
        }

        for (int a = 0; a < ClassCount; a++)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"{a,16}");
            for (int p = 0; p < ClassCount; p++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{_counts[a, p],8}");
            }
        }

        return sb.ToString();
    }

    private double Macro(Func<int, double> perClass)
    {
        double sum = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            sum += perClass(c);
        }

        return sum / ClassCount;
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
