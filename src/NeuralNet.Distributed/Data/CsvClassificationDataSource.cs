using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Distributed.Data;

/// <summary>
/// A classification CSV (optionally .gz; feature columns, the label last, no header) split into training and test rows
/// exactly as a single-node program would: <see cref="Dataset{T}.Split"/> stratified with the seed, then min-max scaling
/// fitted on the training rows. Workers get the training rows; <see cref="LoadSplit{T}"/> gives a driver the test rows
/// of the same split. Argument: <c>path|testFraction|seed</c>.
/// </summary>
public sealed class CsvClassificationDataSource : ITrainingDataSource
{
    /// <summary>The registered name, <c>csv-classification</c>.</summary>
    public const string SourceName = "csv-classification";

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The argument is malformed.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist on this silo.</exception>
    public TrainingData<T> Load<T>(string? argument) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (string path, double testFraction, long seed) = Parse(argument);
        return LoadSplit<T>(path, testFraction, seed).Train;
    }

    /// <summary>The argument string for <see cref="Load{T}"/>.</summary>
    /// <param name="path">The CSV file (the same path must exist on every worker silo).</param>
    /// <param name="testFraction">Fraction of rows held out for testing, in (0, 1).</param>
    /// <param name="seed">Seed of the split.</param>
    public static string Argument(string path, double testFraction, long seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}|{testFraction:R}|{seed}");

    /// <summary>Loads, splits and scales: training and test rows, and the class names.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="path">The CSV file.</param>
    /// <param name="testFraction">Fraction held out for testing.</param>
    /// <param name="seed">Seed of the split.</param>
    public static (TrainingData<T> Train, TrainingData<T> Test, LabelMap Labels) LoadSplit<T>(string path, double testFraction, long seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CsvTable<T> table = CsvLoader.Load<T>(path, new CsvOptions { HasHeader = false });
        LabelMap labels = LabelMap.Fit(table.Labels);
        Dataset<T> all = table.ToClassificationDataset(labels);
        var (train, test) = all.Split(testFraction, seed);
        var scaler = new MinMaxScaler();
        Matrix<T> xTrain = scaler.FitTransform(train.Features), xTest = scaler.Transform(test.Features);
        return (new TrainingData<T>(xTrain, train.Targets), new TrainingData<T>(xTest, test.Targets), labels);
    }

    private static (string, double, long) Parse(string? argument)
    {
        string[] parts = (argument ?? "").Split('|');
        if (parts.Length != 3 || parts[0].Length == 0
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed))
        {
            throw new ArgumentException($"The csv-classification source expects 'path|testFraction|seed'. Received: '{argument}'", nameof(argument));
        }

        return (parts[0], fraction, seed);
    }
}
