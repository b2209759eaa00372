using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// 2-D average pooling, channel by channel: <c>output[b, (c, oy, ox)] = (1/n) Σ x[b, (c, oy·sH - pT + ky, ox·sW - pL + kx)]</c>
/// over the <c>n</c> taps <c>ky &lt; PH, kx &lt; PW</c> of the window that lie inside the image (padding is neither added
/// nor counted: ONNX <c>AveragePool</c>'s default, PyTorch's <c>count_include_pad=False</c>, Keras's <c>padding="same"</c>).
/// Input <c>[batch x C·H·W]</c>, output <c>[batch x C·OH·OW]</c> with <c>OH = floor((H + pT + pB - PH) / sH) + 1</c>.
/// </summary>
/// <remarks>Backward: each tap of the window receives <c>dOutput / n</c>. No parameters.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AvgPool2DLayer<T> : Pool2DLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{

    /// <summary>Creates an average-pooling layer.</summary>
    /// <param name="inputShape">The input image <c>C x H x W</c>.</param>
    /// <param name="pool">Window height and width <c>PH x PW</c> (an int for a square window).</param>
    /// <param name="stride">Step between windows; the window size when null (non-overlapping windows).</param>
    /// <param name="padding">Padding; <see cref="Padding2D.Valid"/> by default. Each side must be narrower than the window.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="inputShape"/> or a side of
    /// <paramref name="pool"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window does not fit the padded input, or padding covers a whole window.</exception>
    public AvgPool2DLayer(FeatureShape inputShape, Size2D pool, Size2D? stride = null, Padding2D padding = default)
        : base("avg_pool2d", inputShape, pool, stride, padding)
    {
    }

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training) =>
        WindowKernels.AverageForward(input, output, batchSize, Geometry);

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        if (!inputGradient.IsEmpty)
        {
            WindowKernels.AverageBackward(outputGradient, inputGradient, batchSize, Geometry);
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize) =>
        WindowKernels.AverageForward(input, output, batchSize, Geometry);
}
