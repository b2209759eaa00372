using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Metrics;

/// <summary>Macro-averaged precision, recall or F1 from the <see cref="ConfusionMatrix"/>.</summary>
public sealed class ClassificationMetric : IMetric
{
    private readonly Func<ConfusionMatrix, double> _read;

    private ClassificationMetric(string name, Func<ConfusionMatrix, double> read)
    {
        Name = name;
        _read = read;
    }

    /// <summary>Macro precision, named <c>precision</c>.</summary>
    public static ClassificationMetric MacroPrecision { get; } = new("precision", m => m.MacroPrecision);

    /// <summary>Macro recall, named <c>recall</c>.</summary>
    public static ClassificationMetric MacroRecall { get; } = new("recall", m => m.MacroRecall);

    /// <summary>Macro F1, named <c>f1</c>.</summary>
    public static ClassificationMetric MacroF1 { get; } = new("f1", m => m.MacroF1);

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public double Compute<T>(Matrix<T> prediction, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T> =>
        _read(ConfusionMatrix.Compute(prediction, target));
}
