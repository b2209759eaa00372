using System.Globalization;
using NeuralNet.Losses;

namespace NeuralNet.Distributed.Internal;

/// <summary>Finds a built-in loss by its <see cref="ILoss.Name"/>, so a job ships the name and each worker builds the
/// same loss (Huber carries its δ in the name).</summary>
internal static class LossNames
{
    private static readonly ILoss[] BuiltIns =
    [
        Loss.MeanSquaredError, Loss.MeanAbsoluteError, Loss.BinaryCrossEntropy, Loss.BinaryCrossEntropyFromLogits,
        Loss.CategoricalCrossEntropy, Loss.CategoricalCrossEntropyFromLogits, Loss.SparseCategoricalCrossEntropy,
        Loss.SparseCategoricalCrossEntropyFromLogits,
    ];

    /// <summary>Checks that <paramref name="loss"/> can be rebuilt from its name on a worker.</summary>
    public static string NameOf(ILoss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        _ = Resolve(loss.Name);
        return loss.Name;
    }

    public static ILoss Resolve(string name)
    {
        foreach (ILoss loss in BuiltIns)
        {
            if (loss.Name == name)
            {
                return loss;
            }
        }

        const string Prefix = "huber(delta=";
        if (name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(')')
            && double.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double delta))
        {
            var huber = new Huber(delta);
            if (huber.Name == name)
            {
                return huber;
            }
        }

        throw new NotSupportedException($"The loss '{name}' is not one of the core's built-in losses, so workers cannot rebuild it; use a loss from NeuralNet.Losses.Loss.");
    }
}
