using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// Global average pooling: the mean of each channel over the whole image,
/// <c>output[b, c] = (1 / (H·W)) Σ over y, x of input[b, (c, y, x)]</c>. Input <c>[batch x C·H·W]</c>, output
/// <c>[batch x C]</c>, a flat <c>1 x 1 x C</c> vector (as Keras's <c>GlobalAveragePooling2D</c>; ONNX's
/// <c>GlobalAveragePool</c> keeps <c>C x 1 x 1</c>, which has the same memory).
/// </summary>
/// <remarks>Backward: every pixel of channel <c>c</c> receives <c>dOutput[b, c] / (H·W)</c>. No parameters.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GlobalAveragePoolLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly WindowGeometry _g;

    /// <summary>Creates a global average pooling layer.</summary>
    /// <param name="inputShape">The input image <c>C x H x W</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="inputShape"/> is not positive.</exception>
    public GlobalAveragePoolLayer(FeatureShape inputShape)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        inputShape.Validate(nameof(inputShape));
        _g = new WindowGeometry(inputShape, new Size2D(inputShape.Height, inputShape.Width), 1, 1, Padding2D.Valid, "global_average_pool");
        InputShape = inputShape;
        OutputShape = FeatureShape.Flat(inputShape.Channels);
    }

    /// <summary>The input image shape <c>C x H x W</c>.</summary>
    public override FeatureShape InputShape { get; }

    /// <summary>The output shape <c>1 x 1 x C</c>.</summary>
    public override FeatureShape OutputShape { get; }

    /// <inheritdoc />
    public override int InputSize => InputShape.Size;

    /// <inheritdoc />
    public override int OutputSize => OutputShape.Size;

    /// <inheritdoc />
    public override string Kind => "global_average_pool";

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training) =>
        WindowKernels.GlobalAverageForward(input, output, batchSize, _g);

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        if (!inputGradient.IsEmpty)
        {
            WindowKernels.GlobalAverageBackward(outputGradient, inputGradient, batchSize, _g);
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize) =>
        WindowKernels.GlobalAverageForward(input, output, batchSize, _g);
}
