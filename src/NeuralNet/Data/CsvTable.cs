using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>A CSV file read by <see cref="CsvLoader"/>: the numeric feature columns as a matrix and the label column as text.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CsvTable<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _labelLines;

    internal CsvTable(string source, Matrix<T> features, string[] featureNames, string labelName, string[] labels, int[] labelLines)
    {
        Source = source;
        Features = features;
        FeatureNames = featureNames;
        LabelName = labelName;
        Labels = labels;
        _labelLines = labelLines;
    }

    /// <summary>The file name (or the name given for a reader), used in messages.</summary>
    public string Source { get; }

    /// <summary>The feature columns, <c>[rows x features]</c>.</summary>
    public Matrix<T> Features { get; }

    /// <summary>Feature column names from the header (<c>column0</c>, <c>column1</c>, ... without one).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Name of the label column.</summary>
    public string LabelName { get; }

    /// <summary>The label of each row, as written (trimmed).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>A classification dataset: targets are one column of class indices under <paramref name="labels"/>
    /// (fit one with <see cref="LabelMap.Fit"/> on these labels, or pass the map of a saved model).</summary>
    /// <param name="labels">Maps label text to class indices.</param>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="InvalidDataFileException">A row's label is not one of the map's classes (the message gives the line).</exception>
    /// <exception cref="InvalidOperationException">The file was read without a label column.</exception>
    public Dataset<T> ToClassificationDataset(LabelMap labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ThrowIfNoLabels();
        var targets = new T[Labels.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            int index = labels.TryGetIndex(Labels[i]);
            if (index < 0)
            {
                throw new InvalidDataFileException($"{Source}, line {_labelLines[i]}, column '{LabelName}': label '{Labels[i]}' is not one of the {labels.Count} known classes.");
            }

            targets[i] = T.CreateChecked(index);
        }

        return new Dataset<T>(Features, Matrix<T>.Build.Dense(targets.Length, 1, targets));
    }

    /// <summary>A regression dataset: the label column parsed as numbers, one target column.</summary>
    /// <exception cref="InvalidDataFileException">A label is not a finite number (the message gives the line).</exception>
    /// <exception cref="InvalidOperationException">The file was read without a label column.</exception>
    public Dataset<T> ToRegressionDataset()
    {
        ThrowIfNoLabels();
        var targets = new T[Labels.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            if (!double.TryParse(Labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                throw new InvalidDataFileException($"{Source}, line {_labelLines[i]}, column '{LabelName}': '{Labels[i]}' is not a finite number.");
            }

            targets[i] = T.CreateChecked(v);
        }

        return new Dataset<T>(Features, Matrix<T>.Build.Dense(targets.Length, 1, targets));
    }

    private void ThrowIfNoLabels()
    {
        if (Labels.Count != Features.RowCount)
        {
            throw new InvalidOperationException($"{Source} was read without a label column (CsvOptions.HasLabelColumn = false); its features are in Features, there are no targets for a dataset.");
        }
    }
}
