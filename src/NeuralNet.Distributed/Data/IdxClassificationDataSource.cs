using System.Globalization;
using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Distributed.Data;

/// <summary>
/// Images and labels in IDX files (MNIST, Fashion-MNIST), pixels scaled to [0, 1], targets as class indices, read by
/// each worker from its own disk. Argument: <c>imagesPath|labelsPath|maxSamples</c> (maxSamples 0 = all).
/// </summary>
public sealed class IdxClassificationDataSource : ITrainingDataSource
{
    /// <summary>The registered name, <c>idx-classification</c>.</summary>
    public const string SourceName = "idx-classification";

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The argument is malformed.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist on this silo.</exception>
    public TrainingData<T> Load<T>(string? argument) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] parts = (argument ?? "").Split('|');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int max) || max < 0)
        {
            throw new ArgumentException($"The idx-classification source expects 'imagesPath|labelsPath|maxSamples'. Received: '{argument}'", nameof(argument));
        }

        Dataset<T> data = IdxFile.LoadDataset<T>(parts[0], parts[1], 1.0 / 255, max == 0 ? null : max);
        return new TrainingData<T>(data.Features, data.Targets);
    }

    /// <summary>The argument string for <see cref="Load{T}"/>.</summary>
    /// <param name="imagesPath">The images file (the same path on every worker silo).</param>
    /// <param name="labelsPath">The labels file.</param>
    /// <param name="maxSamples">Rows to read from the start; 0 reads all.</param>
    public static string Argument(string imagesPath, string labelsPath, int maxSamples) =>
        string.Create(CultureInfo.InvariantCulture, $"{imagesPath}|{labelsPath}|{maxSamples}");
}
