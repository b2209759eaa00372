namespace NeuralNet.Diagnostics;

/// <summary>Gradient-check figures of one layer.</summary>
/// <param name="LayerIndex">Position of the layer in the network.</param>
/// <param name="Layer">The layer's description.</param>
/// <param name="ParametersChecked">How many scalars were perturbed.</param>
/// <param name="RelativeError"><c>‖g_backprop - g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖)</c> over those scalars.</param>
/// <param name="MaxAbsoluteError">The largest <c>|g_backprop - g_numeric|</c> of a single scalar.</param>
public readonly record struct LayerGradientCheck(int LayerIndex, string Layer, int ParametersChecked, double RelativeError, double MaxAbsoluteError);
