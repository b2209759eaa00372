using NeuralNet.Activations;

namespace NeuralNet.Onnx.Graph;

/// <summary>One piece of an imported graph, in double (exact for float and double files): what becomes a layer, an
/// activation folded into the dense layer before it, the scaler, or nothing.</summary>
internal abstract record ImportStep(string NodeName);

/// <summary><c>y = x W + b</c>, <c>W</c> <c>[in x out]</c> column-major as <c>DenseLayer</c> stores it.</summary>
internal sealed record DenseStep(string NodeName, int Inputs, int Outputs, double[] Weights, double[] Bias) : ImportStep(NodeName);

/// <summary><c>y = f(x)</c>.</summary>
internal sealed record ActivationStep(string NodeName, IActivation Activation) : ImportStep(NodeName);

/// <summary>Batch normalisation in inference form.</summary>
internal sealed record BatchNormStep(string NodeName, double[] Gamma, double[] Beta, double[] Mean, double[] Variance, double Epsilon, double Momentum)
    : ImportStep(NodeName);

/// <summary><c>y = (x - shift) / divisor</c>, only first in the graph.</summary>
internal sealed record ScalerStep(string NodeName, double[] Shift, double[] Divisor) : ImportStep(NodeName);

/// <summary>An operator that is the identity at inference (<c>Identity</c>, <c>Dropout</c>) or only reshapes
/// (<c>Flatten</c>, <c>Reshape</c> to <c>[N, -1]</c>); <see cref="Width"/> is the feature count after it.</summary>
internal sealed record PassStep(string NodeName, int Width) : ImportStep(NodeName);
