namespace NeuralNet.Diagnostics;

/// <summary>Settings of <see cref="GradientCheck.Run{T}"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The step <c>ε</c> of the central difference; null picks 1e-6 for double and 1e-3 for float.</summary>
    public double? Epsilon { get; init; }

    /// <summary>When set, checks at most this many entries of each parameter tensor, chosen with <see cref="Seed"/>.</summary>
    public int? MaxParametersPerTensor { get; init; }

    /// <summary>Seed for the sample of entries.</summary>
    public long Seed { get; init; }

    internal void Validate()
    {
        if (Epsilon is { } e && (!(e > 0) || double.IsInfinity(e)))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), e, $"Epsilon must be positive and finite. Received: Epsilon={e}");
        }

        if (MaxParametersPerTensor is { } m && m <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxParametersPerTensor), m, $"MaxParametersPerTensor must be positive. Received: MaxParametersPerTensor={m}");
        }
    }
}
