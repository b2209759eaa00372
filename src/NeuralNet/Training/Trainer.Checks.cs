using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>Argument checks shared by the trainer, the training loop and evaluation: data shapes, validation data,
/// early-stopping monitors and resumed early-stopping state.</summary>
public sealed partial class Trainer<T>
{
    /// <summary>The monitor as the reports spell it: <c>loss</c>, or a configured metric's <see cref="IMetric.Name"/>, found
    /// case-insensitively or through <see cref="Metric.FromName"/>'s aliases (<c>R2</c>, <c>mean_squared_error</c>), with
    /// an optional <c>val_</c> prefix in any case. Unknown names come back unchanged (and are rejected later).</summary>
    internal static string MonitorReportName(TrainerOptions options, string monitor)
    {
        bool validation = monitor.StartsWith("val_", StringComparison.OrdinalIgnoreCase);
        string prefix = validation ? "val_" : "", name = validation ? monitor[4..] : monitor;
        if (string.Equals(name, "loss", StringComparison.OrdinalIgnoreCase))
        {
            return prefix + "loss";
        }

        string? canonical = Metric.TryCanonicalName(name);
        foreach (IMetric metric in options.Metrics)
        {
            if (string.Equals(metric.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(metric.Name, canonical, StringComparison.Ordinal))
            {
                return prefix + metric.Name;
            }
        }

        return monitor;
    }

    /// <summary>Whether the monitored value should rise; throws when it names nothing the trainer reports.</summary>
    internal static bool MonitorHigherIsBetter(TrainerOptions options, string monitor)
    {
        string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        if (name == "loss")
        {
            return false;
        }

        foreach (IMetric metric in options.Metrics)
        {
            if (metric.Name == name)
            {
                return metric.HigherIsBetter;
            }
        }

        var known = new List<string> { "loss", "val_loss" };
        foreach (IMetric metric in options.Metrics)
        {
            known.Add(metric.Name);
            known.Add("val_" + metric.Name);
        }

        throw new ArgumentException($"EarlyStopping.Monitor '{monitor}' is not reported; choose one of {string.Join(", ", known)}.", nameof(options));
    }

    private void CheckEarlyStopping(Network<T> network, EarlyStoppingState state, int initialEpoch)
    {
        const string Name = "earlyStopping";
        if (Options.EarlyStopping is not { } early)
        {
            throw new ArgumentException("An early-stopping state was given but TrainerOptions.EarlyStopping is null.", Name);
        }

        if (initialEpoch == 0)
        {
            throw new ArgumentException("An early-stopping state resumes a run; pass initialEpoch (the epochs completed), not 0.", Name);
        }

        if (state.BestEpoch + state.Wait > initialEpoch)
        {
            throw new ArgumentException($"The early-stopping state (best epoch {state.BestEpoch}, {state.Wait} epochs waited) runs past initialEpoch = {initialEpoch}.", Name);
        }

        if (early.RestoreBestWeights)
        {
            int expected = network.SnapshotLength;
            if (state.BestWeights is null)
            {
                throw new ArgumentException("EarlyStopping.RestoreBestWeights is on but the early-stopping state holds no best weights.", Name);
            }

            if (state.BestWeights.Count != expected)
            {
                throw new ArgumentException($"The early-stopping state holds {state.BestWeights.Count} best-weight values but the network has {expected} parameter and buffer values.", Name);
            }
        }
    }

    /// <summary>Throws when validation data is given half-way or does not fit the network.</summary>
    internal static void CheckValidation(TrainerOptions options, Network<T> network, Matrix<T>? validationX, Matrix<T>? validationY)
    {
        if ((validationX is null) != (validationY is null))
        {
            throw new ArgumentException("Pass both validationX and validationY, or neither.", validationX is null ? nameof(validationX) : nameof(validationY));
        }

        if (validationX is not null)
        {
            CheckData(options, network, validationX, validationY!, nameof(validationX), nameof(validationY));
        }
    }

    /// <summary>Throws when x or y does not fit the network and the loss: shapes, then one pass over the values (NaN or
    /// infinity in x or y; a class label that is not an integer in [0, outputs) for
    /// <see cref="SparseCategoricalCrossEntropy"/>), each error naming the matrix and the row of the data.
    /// <paramref name="stagedRows"/> leading rows of x are left to the caller, whose copy of them checks them on the way
    /// (<see cref="BatchGatherer{T}.StagedFinite"/>): one pass over the data instead of two.</summary>
    internal static void CheckData(TrainerOptions options, Network<T> network, Matrix<T> x, Matrix<T> y, string xName, string yName, int stagedRows = 0)
    {
        CheckShapes(options, network, x, y, xName, yName);
        if (stagedRows < x.RowCount)
        {
            ThrowHelper.ThrowIfNotFinite(x, xName, stagedRows);
        }

        ThrowHelper.ThrowIfNotFinite(y, yName);
        if (options.Loss is SparseCategoricalCrossEntropy)
        {
            // The loss checks labels too, but only sees a shuffled batch; here the row is the row of the data.
            T[] labels = ThrowHelper.ColumnMajor(y);
            T classes = T.CreateTruncating(network.OutputSize);
            for (int row = 0; row < labels.Length; row++)
            {
                T label = labels[row];
                if (!T.IsInteger(label) || label < T.Zero || label >= classes)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{yName} row {row} holds class label {label}, but {options.Loss.Name} on a network with {network.OutputSize} outputs needs integers in [0, {network.OutputSize})."), yName);
                }
            }
        }
    }

    private static void CheckShapes(TrainerOptions options, Network<T> network, Matrix<T> x, Matrix<T> y, string xName, string yName)
    {
        if (x.ColumnCount != network.InputSize)
        {
            throw new ArgumentException($"expected {network.InputSize} input columns, got {x.ColumnCount} ({xName} {ThrowHelper.Shape(x)}).", xName);
        }

        if (x.RowCount == 0)
        {
            throw new ArgumentException($"{xName} has no rows.", xName);
        }

        int expected = options.Loss.ExpectedTargetColumns(network.OutputSize);
        if (y.RowCount != x.RowCount || y.ColumnCount != expected)
        {
            throw new ArgumentException($"expected {yName} [{x.RowCount}x{expected}] for loss {options.Loss.Name} on a network with {network.OutputSize} outputs, got {ThrowHelper.Shape(y)}.", yName);
        }

        OutputLossCheck.ThrowIfMismatched(options.Loss, network);
    }
}
