namespace NeuralNet.Training;

/// <summary>Per-epoch diagnostics of the health monitor (<see cref="TrainerOptions.HealthMonitor"/>).</summary>
/// <param name="Layers">One entry per layer.</param>
/// <param name="MaxAbsInput">The largest <c>|x|</c> in the training inputs.</param>
/// <param name="Hints">Plain-language warnings, e.g. <c>inputs look unscaled: max |x| = 255</c>; empty when all looks well.</param>
public sealed record HealthReport(IReadOnlyList<LayerHealth> Layers, double MaxAbsInput, IReadOnlyList<string> Hints);
