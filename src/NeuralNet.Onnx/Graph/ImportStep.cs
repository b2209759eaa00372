using NeuralNet.Activations;
using NeuralNet.Layers;

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
/// (<c>Flatten</c>, <c>Reshape</c> to <c>[N, -1]</c> or <c>[N, C, H, W]</c>); <see cref="Width"/> is the feature count
/// after it, and <see cref="Image"/> the image shape when it reshapes rows to <c>[N, C, H, W]</c>.</summary>
internal sealed record PassStep(string NodeName, int Width, FeatureShape? Image = null) : ImportStep(NodeName);

/// <summary>A 2-D window operator on <c>[N, C, H, W]</c>: its input and output image shapes.</summary>
internal abstract record WindowStep(string NodeName, FeatureShape Input, FeatureShape Output) : ImportStep(NodeName);

/// <summary><c>Conv</c> with group 1; <c>Weights</c> is ONNX's row-major <c>[F, C, KH, KW]</c>, which is
/// <c>Conv2DLayer</c>'s column-major <c>[C·KH·KW x F]</c> as it is; <c>Bias</c> is null without one.</summary>
internal sealed record ConvStep(string NodeName, FeatureShape Input, FeatureShape Output, Size2D Kernel, Size2D Stride, Size2D Dilation,
    Padding2D Padding, double[] Weights, double[]? Bias) : WindowStep(NodeName, Input, Output);

/// <summary><c>MaxPool</c> (<paramref name="Max"/>) or <c>AveragePool</c> with count_include_pad=0.</summary>
internal sealed record PoolStep(string NodeName, bool Max, FeatureShape Input, FeatureShape Output, Size2D Pool, Size2D Stride, Padding2D Padding)
    : WindowStep(NodeName, Input, Output);

/// <summary><c>GlobalAveragePool</c>: the mean of each channel.</summary>
internal sealed record GlobalAveragePoolStep(string NodeName, FeatureShape Input, FeatureShape Output) : WindowStep(NodeName, Input, Output);
