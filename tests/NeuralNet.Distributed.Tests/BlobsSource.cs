using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Distributed.Tests;

/// <summary>Seeded synthetic classification data: <c>rows</c> points around <c>classes</c> Gaussian centres in
/// <c>features</c> dimensions, targets as class indices (sparse cross-entropy). Argument: "rows,features,classes,seed".</summary>
public sealed class BlobsSource : ITrainingDataSource
{
    public const string SourceName = "blobs";

    public string Name => SourceName;

    public TrainingData<T> Load<T>(string? argument) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int rows, int features, int classes, long seed) = Parse(argument);
        return Generate<T>(rows, features, classes, seed);
    }

    public static string Argument(int rows, int features, int classes, long seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{rows},{features},{classes},{seed}");

    public static TrainingData<T> Generate<T>(int rows, int features, int classes, long seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
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
        if (parts.Length != 4)
        {
            throw new ArgumentException($"blobs expects 'rows,features,classes,seed'. Received: '{argument}'", nameof(argument));
        }

        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
