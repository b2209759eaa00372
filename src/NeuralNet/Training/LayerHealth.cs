namespace NeuralNet.Training;

/// <summary>Diagnostics of one layer at the end of an epoch.</summary>
/// <param name="LayerIndex">Position in the network.</param>
/// <param name="Layer">The layer's description.</param>
/// <param name="GradientNorm">L2 norm of the layer's parameter gradients in the epoch's last batch (0 without parameters).</param>
/// <param name="UpdateToWeightRatio"><c>‖Δθ‖ / ‖θ‖</c> of the epoch's last step (healthy values are near 1e-3).</param>
/// <param name="DeadFraction">For ReLU layers, the fraction of units that output 0 for every sampled row; else null.</param>
/// <param name="SaturatedFraction">For sigmoid and tanh layers, the fraction of outputs within 0.01 of the asymptotes;
/// else null.</param>
public readonly record struct LayerHealth(int LayerIndex, string Layer, double GradientNorm, double UpdateToWeightRatio, double? DeadFraction, double? SaturatedFraction);
