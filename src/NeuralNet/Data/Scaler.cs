using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// A per-feature affine preprocessing step, <c>x' = (x - shift[j]) / divisor[j]</c> for column <c>j</c>, fitted on the
/// training data only and then applied unchanged to validation, test and production inputs. A model file saves the
/// fitted shifts and divisors with the network.
/// </summary>
public abstract class Scaler
{
    private double[] _shift = [];
    private double[] _divisor = [];

    private protected Scaler()
    {
    }

    /// <summary>Kind name written to model files: <c>min_max</c> or <c>standard</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Whether <see cref="Fit{T}"/> has run.</summary>
    public bool IsFitted => _shift.Length > 0;

    /// <summary>Number of features the scaler was fitted on (0 before fitting).</summary>
    public int FeatureCount => _shift.Length;

    /// <summary>The per-feature shift (minimum or mean).</summary>
    public IReadOnlyList<double> Shift => _shift;

    /// <summary>The per-feature divisor (range or standard deviation; 1 for a constant feature).</summary>
    public IReadOnlyList<double> Divisor => _divisor;

    /// <summary>Learns the per-feature statistics from training data (rows are samples).</summary>
    /// <param name="training">The training features; at least one row.</param>
    /// <returns>This scaler.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="training"/> has no rows or holds a non-finite value.</exception>
    public Scaler Fit<T>(Matrix<T> training) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(training);
        if (training.RowCount == 0 || training.ColumnCount == 0)
        {
            throw new ArgumentException($"cannot fit a scaler on an empty matrix {ThrowHelper.Shape(training)}.", nameof(training));
        }

        T[] x = ThrowHelper.ColumnMajor(training);
        int rows = training.RowCount, columns = training.ColumnCount;
        var shift = new double[columns];
        var divisor = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            ReadOnlySpan<T> column = x.AsSpan(j * rows, rows);
            for (int i = 0; i < rows; i++)
            {
                if (!T.IsFinite(column[i]))
                {
                    throw new ArgumentException($"training[{i}, {j}] is {column[i]}; scalers need finite values.", nameof(training));
                }
            }

            (shift[j], double d) = Statistics(column);

            // A constant feature keeps divisor 1, as scikit-learn does, instead of dividing by zero.
            divisor[j] = d > 0 && double.IsFinite(d) ? d : 1.0;
        }

        _shift = shift;
        _divisor = divisor;
        return this;
    }

    /// <summary>The shift and the divisor of one feature column.</summary>
    private protected abstract (double Shift, double Divisor) Statistics<T>(ReadOnlySpan<T> column) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Returns <c>(x - shift) / divisor</c> as a new matrix.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong number of columns.</exception>
    public Matrix<T> Transform<T>(Matrix<T> input) where T : unmanaged, IFloatingPointIeee754<T> => Apply(input, inverse: false);

    /// <summary>Returns <c>x' * divisor + shift</c> as a new matrix, undoing <see cref="Transform{T}(Matrix{T})"/> (to rounding).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong number of columns.</exception>
    public Matrix<T> InverseTransform<T>(Matrix<T> input) where T : unmanaged, IFloatingPointIeee754<T> => Apply(input, inverse: true);

    /// <summary>Fits on <paramref name="training"/> and returns it transformed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="training"/> is empty or holds a non-finite value.</exception>
    public Matrix<T> FitTransform<T>(Matrix<T> training) where T : unmanaged, IFloatingPointIeee754<T> => Fit(training).Transform(training);

    /// <summary>A fitted scaler of kind <paramref name="kind"/> with the given statistics, e.g. read back from an ONNX
    /// graph's <c>Sub</c> and <c>Div</c> nodes; it transforms exactly as the scaler they came from.</summary>
    /// <param name="kind"><c>min_max</c> or <c>standard</c>.</param>
    /// <param name="shift">The per-feature shift (minimum or mean); finite.</param>
    /// <param name="divisor">The per-feature divisor (range or standard deviation); positive normal numbers.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An unknown kind, no features, lengths that differ, a shift that is not
    /// finite, or a divisor that is not a positive normal number.</exception>
    public static Scaler FromStatistics(string kind, IReadOnlyList<double> shift, IReadOnlyList<double> divisor)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(shift);
        ArgumentNullException.ThrowIfNull(divisor);
        if (shift.Count == 0 || shift.Count != divisor.Count)
        {
            throw new ArgumentException($"shift and divisor must have the same, positive length. Received: {shift.Count} and {divisor.Count}.", nameof(divisor));
        }

        // As model files require: a zero divisor gives infinities, a negative one flips the feature, a subnormal one
        // overflows.
        if (shift.Any(s => !double.IsFinite(s)) || divisor.Any(d => !(d > 0) || !double.IsNormal(d)))
        {
            throw new ArgumentException("shifts must be finite and divisors positive normal numbers.", nameof(divisor));
        }

        return FromState(kind, [.. shift], [.. divisor])
            ?? throw new ArgumentException($"Unknown scaler kind '{kind}'. Known kinds: min_max, standard.", nameof(kind));
    }

    /// <summary>Restores a fitted scaler of a known kind from saved statistics (model files).</summary>
    internal static Scaler? FromState(string kind, double[] shift, double[] divisor)
    {
        Scaler? scaler = kind switch
        {
            "min_max" => new MinMaxScaler(),
            "standard" => new StandardScaler(),
            _ => null,
        };
        if (scaler is not null)
        {
            scaler._shift = shift;
            scaler._divisor = divisor;
        }

        return scaler;
    }

    private Matrix<T> Apply<T>(Matrix<T> input, bool inverse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsFitted)
        {
            throw new InvalidOperationException($"The {Kind} scaler is not fitted; call Fit on the training data first.");
        }

        if (input.ColumnCount != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} columns (the scaler was fitted on {FeatureCount} features), got {input.ColumnCount} (input {ThrowHelper.Shape(input)}).", nameof(input));
        }

        int rows = input.RowCount;
        T[] x = ThrowHelper.ColumnMajor(input);
        var result = new T[x.Length];
        for (int j = 0; j < FeatureCount; j++)
        {
            ReadOnlySpan<T> column = x.AsSpan(j * rows, rows);
            Span<T> destination = result.AsSpan(j * rows, rows);
            T shift = T.CreateChecked(_shift[j]), divisor = T.CreateChecked(_divisor[j]);
            if (inverse)
            {
                TensorPrimitives.Multiply(column, divisor, destination);
                TensorPrimitives.Add(destination, shift, destination);
            }
            else
            {
                TensorPrimitives.Subtract(column, shift, destination);
                TensorPrimitives.Divide(destination, divisor, destination);
            }
        }

        return Matrix<T>.Build.Dense(rows, FeatureCount, result);
    }

    /// <summary>Scales one row: <c>destination[j] = (row[j] - shift_j) / divisor_j</c>, the same arithmetic as
    /// <see cref="Transform{T}(Matrix{T})"/>, without allocating.</summary>
    /// <param name="row">One sample's features, length <see cref="FeatureCount"/>.</param>
    /// <param name="destination">Where the scaled features go, length at least <see cref="FeatureCount"/>; may be
    /// <paramref name="row"/> itself.</param>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Transform<T>(ReadOnlySpan<T> row, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyRow(row, destination, inverse: false);

    /// <summary>Undoes <see cref="Transform{T}(ReadOnlySpan{T}, Span{T})"/> for one row: <c>destination[j] = row[j] · divisor_j + shift_j</c>.</summary>
    /// <param name="row">One scaled row, length <see cref="FeatureCount"/>.</param>
    /// <param name="destination">Where the original-scale features go, length at least <see cref="FeatureCount"/>.</param>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void InverseTransform<T>(ReadOnlySpan<T> row, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyRow(row, destination, inverse: true);

    private void ApplyRow<T>(ReadOnlySpan<T> row, Span<T> destination, bool inverse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!IsFitted)
        {
            throw new InvalidOperationException($"The {Kind} scaler is not fitted; call Fit on the training data first.");
        }

        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} features (the scaler was fitted on {FeatureCount}), got {row.Length}.", nameof(row));
        }

        if (destination.Length < FeatureCount)
        {
            throw new ArgumentException($"destination has room for {destination.Length} values but the row has {FeatureCount}.", nameof(destination));
        }

        for (int j = 0; j < row.Length; j++)
        {
            T shift = T.CreateChecked(_shift[j]), divisor = T.CreateChecked(_divisor[j]);
            destination[j] = inverse ? row[j] * divisor + shift : (row[j] - shift) / divisor;
        }
    }
}
