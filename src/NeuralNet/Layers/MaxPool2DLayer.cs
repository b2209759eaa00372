using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// 2-D max pooling, channel by channel: <c>output[b, (c, oy, ox)] = max over ky &lt; PH, kx &lt; PW of
/// x[b, (c, oy·sH - pT + ky, ox·sW - pL + kx)]</c>, taps in the padding ignored (as if −∞). Input
/// <c>[batch x C·H·W]</c>, output <c>[batch x C·OH·OW]</c> with <c>OH = floor((H + pT + pB - PH) / sH) + 1</c>.
/// </summary>
/// <remarks>
/// The training forward pass records which tap of each window holds the maximum: the first in scan order (row, then
/// column), as PyTorch's <c>max_pool2d</c> records it (a NaN tap counts as the maximum). Backward sends each output's
/// gradient to that tap. No parameters.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MaxPool2DLayer<T> : Pool2DLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _argMax = [];

    /// <summary>Creates a max-pooling layer.</summary>
    /// <param name="inputShape">The input image <c>C x H x W</c>.</param>
    /// <param name="pool">Window height and width <c>PH x PW</c> (an int for a square window).</param>
    /// <param name="stride">Step between windows; the window size when null (non-overlapping windows).</param>
    /// <param name="padding">Padding; <see cref="Padding2D.Valid"/> by default. Each side must be narrower than the window.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="inputShape"/> or a side of
    /// <paramref name="pool"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window does not fit the padded input, or padding covers a whole window.</exception>
    public MaxPool2DLayer(FeatureShape inputShape, Size2D pool, Size2D? stride = null, Padding2D padding = default)
        : base("max_pool2d", inputShape, pool, stride, padding)
    {
    }

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training) =>
        WindowKernels.MaxForwardWithArgMax(input, output, Rent(ref _argMax, batchSize * OutputSize), batchSize, Geometry);

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        if (!inputGradient.IsEmpty)
        {
            WindowKernels.MaxBackward<T>(_argMax.AsSpan(0, batchSize * OutputSize), outputGradient, inputGradient, batchSize, Geometry);
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize) =>
        WindowKernels.MaxForward(input, output, batchSize, Geometry);
}
