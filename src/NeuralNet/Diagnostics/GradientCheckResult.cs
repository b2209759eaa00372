namespace NeuralNet.Diagnostics;

/// <summary>The outcome of <see cref="GradientCheck.Run{T}"/>: one entry per layer that has parameters.</summary>
/// <param name="Layers">Per-layer errors, in layer order.</param>
public sealed record GradientCheckResult(IReadOnlyList<LayerGradientCheck> Layers)
{
    /// <summary>The worst per-layer relative error (0 for a network without parameters).</summary>
    public double MaxRelativeError => Layers.Count == 0 ? 0 : Layers.Max(l => l.RelativeError);

    /// <summary>Whether every layer's relative error is below <paramref name="tolerance"/>.</summary>
    public bool Passed(double tolerance = 1e-6) => MaxRelativeError < tolerance;

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(Environment.NewLine, Layers.Select(l => $"layer {l.LayerIndex} {l.Layer}: relative error {l.RelativeError:E2}, max |diff| {l.MaxAbsoluteError:E2} over {l.ParametersChecked} parameters"));
}
