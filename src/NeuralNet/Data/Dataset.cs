using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Features and targets of a set of samples, one sample per row: <see cref="Features"/> <c>[Count x FeatureCount]</c>
/// and <see cref="Targets"/> <c>[Count x TargetCount]</c> (class indices in one column, one-hot rows, or regression
/// values). Both are dense and column-major, so a mini-batch is gathered by row index with
/// <see cref="CopyBatch"/> without allocating.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _features;
    private readonly T[] _targets;

    /// <summary>Wraps a features matrix and a targets matrix with the same number of rows (no copy when both are dense).</summary>
    /// <param name="features">One sample per row.</param>
    /// <param name="targets">One target row per sample.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The matrices are empty or their row counts differ.</exception>
    public Dataset(Matrix<T> features, Matrix<T> targets)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.RowCount == 0 || features.ColumnCount == 0)
        {
            throw new ArgumentException($"features must have at least one row and one column, got {ThrowHelper.Shape(features)}.", nameof(features));
        }

        if (targets.RowCount != features.RowCount || targets.ColumnCount == 0)
        {
            throw new ArgumentException($"targets must have one row per sample ({features.RowCount}) and at least one column, got targets {ThrowHelper.Shape(targets)} for features {ThrowHelper.Shape(features)}.", nameof(targets));
        }

        _features = ThrowHelper.ColumnMajor(features);
        _targets = ThrowHelper.ColumnMajor(targets);
        Features = Matrix<T>.Build.Dense(features.RowCount, features.ColumnCount, _features);
        Targets = Matrix<T>.Build.Dense(targets.RowCount, targets.ColumnCount, _targets);
    }

    /// <summary>The features, <c>[Count x FeatureCount]</c>.</summary>
    public Matrix<T> Features { get; }

    /// <summary>The targets, <c>[Count x TargetCount]</c>.</summary>
    public Matrix<T> Targets { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Features.RowCount;

    /// <summary>Features per sample.</summary>
    public int FeatureCount => Features.ColumnCount;

    /// <summary>Target columns per sample.</summary>
    public int TargetCount => Targets.ColumnCount;

    /// <summary>Builds a dataset from jagged feature rows and one target value per row (a class index or a regression value).</summary>
    /// <param name="features">One array per sample, all of the same length.</param>
    /// <param name="targets">One value per sample.</param>
    /// <exception cref="ArgumentNullException">An argument or a row is null.</exception>
    /// <exception cref="ArgumentException">No rows, rows of different lengths, or a target count that differs from the row count.</exception>
    public static Dataset<T> FromArrays(T[][] features, T[] targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Length == 0)
        {
            throw new ArgumentException("features has no rows.", nameof(features));
        }

        if (targets.Length != features.Length)
        {
            throw new ArgumentException($"expected one target per sample ({features.Length}), got {targets.Length}.", nameof(targets));
        }

        int columns = (features[0] ?? throw new ArgumentNullException(nameof(features), "Row 0 is null.")).Length;
        var x = new T[features.Length * columns];
        for (int i = 0; i < features.Length; i++)
        {
            T[] row = features[i] ?? throw new ArgumentNullException(nameof(features), $"Row {i} is null.");
            if (row.Length != columns)
            {
                throw new ArgumentException($"row {i} has {row.Length} values but row 0 has {columns}.", nameof(features));
            }

            for (int j = 0; j < columns; j++)
            {
                x[j * features.Length + i] = row[j];
            }
        }

        return new Dataset<T>(Matrix<T>.Build.Dense(features.Length, columns, x), Matrix<T>.Build.Dense(targets.Length, 1, (T[])targets.Clone()));
    }

    /// <summary>Builds a dataset from a rectangular array of features (rows are samples) and one target value per row.</summary>
    /// <param name="features">Features, <c>[samples, features]</c>.</param>
    /// <param name="targets">One value per sample.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths disagree or there are no samples.</exception>
    public static Dataset<T> FromArrays(T[,] features, T[] targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != features.GetLength(0))
        {
            throw new ArgumentException($"expected one target per sample ({features.GetLength(0)}), got {targets.Length}.", nameof(targets));
        }

        return new Dataset<T>(Matrix<T>.Build.DenseOfArray(features), Matrix<T>.Build.Dense(targets.Length, 1, (T[])targets.Clone()));
    }

    /// <summary>
    /// Copies the samples at <paramref name="indices"/> into a column-major batch without allocating: features
    /// <c>[indices.Length x FeatureCount]</c>, targets <c>[indices.Length x TargetCount]</c>.
    /// </summary>
    /// <param name="indices">Row indices of the batch, in batch order.</param>
    /// <param name="features">Destination, length at least <c>indices.Length * FeatureCount</c>.</param>
    /// <param name="targets">Destination, length at least <c>indices.Length * TargetCount</c>.</param>
    /// <exception cref="ArgumentException">A destination is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <c>[0, Count)</c>.</exception>
    public void CopyBatch(ReadOnlySpan<int> indices, Span<T> features, Span<T> targets)
    {
        int b = indices.Length;
        if (features.Length < b * FeatureCount)
        {
            throw new ArgumentException($"features has room for {features.Length} values, the batch needs {b}x{FeatureCount} = {b * FeatureCount}.", nameof(features));
        }

        if (targets.Length < b * TargetCount)
        {
            throw new ArgumentException($"targets has room for {targets.Length} values, the batch needs {b}x{TargetCount} = {b * TargetCount}.", nameof(targets));
        }

        for (int k = 0; k < b; k++)
        {
            if ((uint)indices[k] >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), indices[k], $"index {indices[k]} at position {k} is outside [0, {Count}).");
            }
        }

        Gather(_features, Count, FeatureCount, indices, features);
        Gather(_targets, Count, TargetCount, indices, targets);
    }

    /// <summary>A new dataset holding copies of the rows at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Row indices, at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <c>[0, Count)</c>.</exception>
    public Dataset<T> Subset(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("A subset needs at least one index.", nameof(indices));
        }

        var x = new T[indices.Length * FeatureCount];
        var y = new T[indices.Length * TargetCount];
        CopyBatch(indices, x, y);
        return new Dataset<T>(Matrix<T>.Build.Dense(indices.Length, FeatureCount, x), Matrix<T>.Build.Dense(indices.Length, TargetCount, y));
    }

    /// <summary>
    /// Splits into a training and a test set, seeded and (by default) stratified: each class keeps its proportion in
    /// both parts, to within one sample. The class of a row is its target value when there is one target column and
    /// the arg-max column when there are several (one-hot). The test set gets <c>round(Count * testFraction)</c> rows.
    /// </summary>
    /// <param name="testFraction">Fraction of rows for the test set, in (0, 1).</param>
    /// <param name="seed">Seed of the shuffle: the same seed gives the same split.</param>
    /// <param name="stratify">Keep class proportions (true) or split a plain shuffle (false).</param>
    /// <returns>The two parts, each shuffled.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1) or leaves a part empty.</exception>
    public (Dataset<T> Train, Dataset<T> Test) Split(double testFraction, long seed, bool stratify = true)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction must be in (0, 1). Received: testFraction={testFraction}");
        }

        int n = Count;
        int testCount = (int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero);
        if (testCount == 0 || testCount == n)
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction={testFraction} of {n} samples leaves the {(testCount == 0 ? "test" : "training")} set empty.");
        }

        var random = new RandomSource(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order.AsSpan());
        if (stratify)
        {
            // Group the shuffled rows by class (a stable sort keeps the shuffle within each class).
            var keys = new double[n];
            for (int i = 0; i < n; i++)
            {
                keys[i] = ClassKey(order[i]);
            }

            int[] position = new int[n];
            for (int i = 0; i < n; i++)
            {
                position[i] = i;
            }

            Array.Sort(position, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
            int[] grouped = new int[n];
            for (int i = 0; i < n; i++)
            {
                grouped[i] = order[position[i]];
            }

            order = grouped;
        }

        // Systematic selection over the (grouped) order: position p goes to the test set when
        // floor((p + 1) * testCount / n) > floor(p * testCount / n), exactly testCount positions spread evenly,
        // so each class contributes its share to within one sample.
        var train = new List<int>(n - testCount);
        var test = new List<int>(testCount);
        for (long p = 0; p < n; p++)
        {
            (((p + 1) * testCount / n > p * testCount / n) ? test : train).Add(order[p]);
        }

        int[] trainIndices = train.ToArray(), testIndices = test.ToArray();
        random.Shuffle(trainIndices.AsSpan());
        random.Shuffle(testIndices.AsSpan());
        return (Subset(trainIndices), Subset(testIndices));
    }

    /// <summary>The class of row <paramref name="row"/>: its target, or the arg-max column of a one-hot target row.</summary>
    private double ClassKey(int row)
    {
        int n = Count;
        if (TargetCount == 1)
        {
            return double.CreateChecked(_targets[row]);
        }

        int best = 0;
        for (int j = 1; j < TargetCount; j++)
        {
            if (_targets[j * n + row] > _targets[best * n + row])
            {
                best = j;
            }
        }

        return best;
    }

    private static void Gather(T[] source, int rows, int columns, ReadOnlySpan<int> indices, Span<T> destination)
    {
        int b = indices.Length;
        for (int j = 0; j < columns; j++)
        {
            ReadOnlySpan<T> column = source.AsSpan(j * rows, rows);
            Span<T> target = destination.Slice(j * b, b);
            for (int k = 0; k < b; k++)
            {
                target[k] = column[indices[k]];
            }
        }
    }
}
