using System.Globalization;
using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Sets every weight to one value (zeros is <c>value = 0</c>).</summary>
public sealed class ConstantInitializer : IInitializer
{
    /// <summary>Creates the initialiser.</summary>
    /// <param name="value">The value; must be finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite.</exception>
    public ConstantInitializer(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"value must be finite. Received: value={value}");
        }

        Value = value;
    }

    /// <summary>The value every weight gets.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public string Name => Value == 0 ? "zeros" : string.Create(CultureInfo.InvariantCulture, $"constant(value={Value:R})");

    /// <inheritdoc />
    public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random) where T : unmanaged, IFloatingPointIeee754<T> =>
        weights.Fill(T.CreateTruncating(Value));
}
