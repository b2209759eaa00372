using System.Numerics;

namespace NeuralNet.Data;

/// <summary>Centres and scales each feature over the training data: <c>x' = (x - mean) / std</c>, with the population
/// standard deviation <c>std = sqrt(sum (x - mean)^2 / n)</c> as in scikit-learn (a constant feature gets divisor 1).</summary>
public sealed class StandardScaler : Scaler
{
    /// <inheritdoc />
    public override string Kind => "standard";

    /// <inheritdoc />
    private protected override (double Shift, double Divisor) Statistics<T>(ReadOnlySpan<T> column)
    {
        // Two passes in double: mean first, then squared deviations (no cancellation from sum x^2 - n mean^2).
        double sum = 0;
        foreach (T v in column)
        {
            sum += double.CreateChecked(v);
        }

        double mean = sum / column.Length, squares = 0;
        foreach (T v in column)
        {
            double d = double.CreateChecked(v) - mean;
            squares += d * d;
        }

        return (mean, Math.Sqrt(squares / column.Length));
    }
}
