using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>
/// The family behind Glorot, He and LeCun initialisation: weights with variance <c>scale / n</c>, where <c>n</c> is
/// <c>fanIn</c>, <c>fanOut</c> or their mean. Normal draws use <c>N(0, scale/n)</c>; uniform draws use
/// <c>U(-limit, limit)</c> with <c>limit = sqrt(3 scale / n)</c>, which has the same variance.
/// </summary>
public sealed class VarianceScaling : IInitializer
{
    /// <summary>Creates a variance-scaling initialiser.</summary>
    /// <param name="name">The name written to model files.</param>
    /// <param name="scale">Numerator of the variance (2 for He, 1 for Glorot and LeCun).</param>
    /// <param name="mode">Which fan the variance is divided by.</param>
    /// <param name="uniform">Uniform rather than normal draws.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not positive.</exception>
    public VarianceScaling(string name, double scale, FanMode mode, bool uniform)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowHelper.ThrowIfNotPositive(scale, nameof(scale));
        Name = name;
        Scale = scale;
        Mode = mode;
        Uniform = uniform;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Numerator of the variance.</summary>
    public double Scale { get; }

    /// <summary>Which fan divides the variance.</summary>
    public FanMode Mode { get; }

    /// <summary>Uniform rather than normal draws.</summary>
    public bool Uniform { get; }

    /// <inheritdoc />
    public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        double n = Mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            _ => (fanIn + fanOut) / 2.0,
        };
        double variance = Scale / Math.Max(1.0, n);
        if (Uniform)
        {
            double limit = Math.Sqrt(3.0 * variance);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = T.CreateTruncating((2.0 * random.NextDouble() - 1.0) * limit);
            }
        }
        else
        {
            double std = Math.Sqrt(variance);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = T.CreateTruncating(random.NextGaussian() * std);
            }
        }
    }
}
