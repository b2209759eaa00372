using System.Numerics;

namespace NeuralNet.Data;

/// <summary>Maps each feature to [0, 1] over the training data: <c>x' = (x - min) / (max - min)</c>
/// (a constant feature becomes <c>x - min</c>, i.e. 0).</summary>
public sealed class MinMaxScaler : Scaler
{
    /// <inheritdoc />
    public override string Kind => "min_max";

    /// <inheritdoc />
    private protected override (double Shift, double Divisor) Statistics<T>(ReadOnlySpan<T> column)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (T v in column)
        {
            double d = double.CreateChecked(v);
            min = Math.Min(min, d);
            max = Math.Max(max, d);
        }

        return (min, max - min);
    }
}
