using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>
/// Reinterprets a <c>C x H x W</c> image as a flat vector of <c>C·H·W</c> features, channel-major
/// (<c>output[b, (c·H + y)·W + x] = input[b, (c, y, x)]</c>, PyTorch's <c>flatten(1)</c> of an NCHW tensor). The values
/// do not move: rows are already stored that way, so forward and backward are copies.
/// </summary>
/// <remarks>Place it between convolution or pooling layers and dense layers. No parameters.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class FlattenLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a flatten layer.</summary>
    /// <param name="inputShape">The input shape <c>C x H x W</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="inputShape"/> is not positive.</exception>
    public FlattenLayer(FeatureShape inputShape)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        inputShape.Validate(nameof(inputShape));
        InputShape = inputShape;
        OutputShape = FeatureShape.Flat(inputShape.Size);
    }

    /// <summary>The input shape <c>C x H x W</c>.</summary>
    public override FeatureShape InputShape { get; }

    /// <summary>The output shape <c>1 x 1 x C·H·W</c>.</summary>
    public override FeatureShape OutputShape { get; }

    /// <inheritdoc />
    public override int InputSize => InputShape.Size;

    /// <inheritdoc />
    public override int OutputSize => OutputShape.Size;

    /// <inheritdoc />
    public override string Kind => "flatten";

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training) =>
        input[..output.Length].CopyTo(output);

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        if (!inputGradient.IsEmpty)
        {
            outputGradient[..inputGradient.Length].CopyTo(inputGradient);
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize) =>
        input[..(batchSize * OutputSize)].CopyTo(output);
}
