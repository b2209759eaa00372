using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Distributed.Data;

/// <summary>
/// Seeded synthetic classification rows, generated on each worker (no file to ship): <c>rows</c> points around
/// <c>classes</c> Gaussian centres (spread 2) in <c>features</c> dimensions with unit noise; row r belongs to class
/// <c>r mod classes</c>; targets are class indices (for sparse cross-entropy). Argument: <c>rows,features,classes,seed</c>.
/// </summary>
public sealed class BlobsDataSource : ITrainingDataSource
{
    /// <summary>The registered name, <c>blobs</c>.</summary>
    public const string SourceName = "blobs";

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The argument is not four comma-separated numbers.</exception>
    public TrainingData<T> Load<T>(string? argument) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int rows, int features, int classes, long seed) = Parse(argument);
        return Generate<T>(rows, features, classes, seed);
    }

    /// <summary>The argument string for <see cref="Load{T}"/>.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="features">Input columns.</param>
    /// <param name="classes">Classes.</param>
    /// <param name="seed">Seed of centres and noise.</param>
    public static string Argument(int rows, int features, int classes, long seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{rows},{features},{classes},{seed}");

    /// <summary>Generates the rows (what every worker loads for the same arguments).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="rows">Rows, at least 1.</param>
    /// <param name="features">Input columns, at least 1.</param>
    /// <param name="classes">Classes, at least 2.</param>
    /// <param name="seed">Seed of centres and noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public static TrainingData<T> Generate<T>(int rows, int features, int classes, long seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        var random = new RandomSource(seed);
        var centres = new double[classes, features];
        for (int c = 0; c < classes; c++)
        {
            for (int j = 0; j < features; j++)
            {
                centres[c, j] = 2.0 * random.NextGaussian();
            }
        }

        var x = Matrix<T>.Build.Dense(rows, features);
        var y = Matrix<T>.Build.Dense(rows, 1);
        for (int r = 0; r < rows; r++)
        {
            int c = r % classes;
            y[r, 0] = T.CreateTruncating(c);
            for (int j = 0; j < features; j++)
            {
                x[r, j] = T.CreateTruncating(centres[c, j] + random.NextGaussian());
            }
        }

        return new TrainingData<T>(x, y);
    }

    private static (int, int, int, long) Parse(string? argument)
    {
        string[] parts = (argument ?? "").Split(',');
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int rows)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int features)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int classes)
            || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed))
        {
            throw new ArgumentException($"The blobs source expects 'rows,features,classes,seed'. Received: '{argument}'", nameof(argument));
        }

        return (rows, features, classes, seed);
    }
}
