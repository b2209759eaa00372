using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>
/// The weight of every training row, <c>w_b = sampleWeight_b · classWeight(c_b)</c>, computed once per fit from
/// <see cref="TrainerOptions.ClassWeights"/> and the sample weights given to <c>Fit</c>.
/// </summary>
internal static class RowWeights
{
    /// <summary>The combined weights of the first <paramref name="rows"/> rows, or null when neither kind is given.</summary>
    /// <exception cref="ArgumentException">Sample weights of the wrong length or with a negative or non-finite value;
    /// class weights with a non-classification loss or of the wrong count.</exception>
    public static T[]? Combine<T>(TrainerOptions options, Network<T> network, Matrix<T> y, int rows, double[]? sampleWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<double>? classWeights = options.ClassWeights;
        if (sampleWeights is null && classWeights is null)
        {
            return null;
        }

        if (sampleWeights is not null)
        {
            Check(sampleWeights, y.RowCount);
        }

        var weights = new T[rows];
        T[] targets = ThrowHelper.ColumnMajor(y);
        int columns = y.ColumnCount, totalRows = y.RowCount;
        ILoss loss = options.Loss;
        if (classWeights is not null)
        {
            int classes = ClassCount(loss, network.OutputSize);
            if (classes != classWeights.Count)
            {
                throw new ArgumentException($"TrainerOptions.ClassWeights has {classWeights.Count} weights but loss {loss.Name} on a network with {network.OutputSize} outputs has {classes} classes.", "options");
            }
        }

        for (int b = 0; b < rows; b++)
        {
            double w = sampleWeights?[b] ?? 1.0;
            if (classWeights is not null)
            {
                w *= classWeights[ClassOf(loss, targets, totalRows, columns, classWeights.Count, b)];
            }

            weights[b] = T.CreateTruncating(w);
        }

        return weights;
    }

    private static void Check(double[] sampleWeights, int rows)
    {
        if (sampleWeights.Length != rows)
        {
            throw new ArgumentException($"expected one sample weight per row of x ({rows}), got {sampleWeights.Length}.", nameof(sampleWeights));
        }

        bool any = false;
        for (int i = 0; i < sampleWeights.Length; i++)
        {
            double w = sampleWeights[i];
            if (!(w >= 0 && double.IsFinite(w)))
            {
                throw new ArgumentException($"sample weights must be finite and non-negative; sampleWeights[{i}] = {w}.", nameof(sampleWeights));
            }

            any |= w > 0;
        }

        if (!any)
        {
            throw new ArgumentException("every sample weight is 0; nothing would be learned.", nameof(sampleWeights));
        }
    }

    /// <summary>Classes of a classification loss: the outputs, or 2 for binary cross-entropy on one output.</summary>
    private static int ClassCount(ILoss loss, int outputs) => loss switch
    {
        CategoricalCrossEntropy or SparseCategoricalCrossEntropy => outputs,
        BinaryCrossEntropy when outputs == 1 => 2,
        _ => throw new ArgumentException($"TrainerOptions.ClassWeights needs a classification loss (categorical or sparse categorical cross-entropy, or binary cross-entropy on one output); the loss is {loss.Name} on {outputs} outputs. Use sample weights instead.", "options"),
    };

    /// <summary>The class of row <paramref name="b"/>: its label, the column of its largest target, or <c>y ≥ 0.5</c>.</summary>
    private static int ClassOf<T>(ILoss loss, T[] y, int rows, int columns, int classes, int b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (loss is SparseCategoricalCrossEntropy)
        {
            T label = y[b];
            if (!T.IsInteger(label) || label < T.Zero || label >= T.CreateTruncating(classes))
            {
                throw new ArgumentException($"y row {b} holds class label {label}, but labels must be integers in [0, {classes}).", "y");
            }

            return int.CreateTruncating(label);
        }

        if (columns == 1)
        {
            return y[b] >= T.CreateTruncating(0.5) ? 1 : 0;
        }

        int best = 0;
        for (int k = 1; k < columns; k++)
        {
            if (y[b + k * rows] > y[b + best * rows])
            {
                best = k;
            }
        }

        return best;
    }
}
