using System.Numerics;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// What the 2-D pooling layers share: a window of <c>PH x PW</c> taps moved by a stride over each channel of a padded
/// <c>C x H x W</c> image, giving <c>C x OH x OW</c> with <c>OH = floor((H + pT + pB - PH) / sH) + 1</c> (likewise
/// <c>OW</c>). The subclasses say what a window computes.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Pool2DLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string _kind;

    /// <summary>Validates the window and works out the output shape.</summary>
    private protected Pool2DLayer(string kind, FeatureShape inputShape, Size2D pool, Size2D? stride, Padding2D padding)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        inputShape.Validate(nameof(inputShape));
        pool.Validate(nameof(pool));
        Size2D s = stride ?? pool;
        s.Validate(nameof(stride));
        string name = $"{kind}({pool})";
        Geometry = new WindowGeometry(inputShape, pool, s, 1, padding, name);
        Geometry.ThrowIfPaddingCoversWindow(padding, name);
        _kind = kind;
        Padding = padding;
        InputShape = inputShape;
        OutputShape = new FeatureShape(inputShape.Channels, Geometry.OutHeight, Geometry.OutWidth);
    }

    /// <summary>The window's placement over the input, for the kernels.</summary>
    private protected WindowGeometry Geometry { get; }

    /// <summary>The input image shape <c>C x H x W</c>.</summary>
    public override FeatureShape InputShape { get; }

    /// <summary>The output shape <c>C x OH x OW</c>.</summary>
    public override FeatureShape OutputShape { get; }

    /// <inheritdoc />
    public override int InputSize => InputShape.Size;

    /// <inheritdoc />
    public override int OutputSize => OutputShape.Size;

    /// <inheritdoc />
    public override string Kind => _kind;

    /// <summary>Window height and width.</summary>
    public Size2D Pool => new(Geometry.KernelH, Geometry.KernelW);

    /// <summary>Stride.</summary>
    public Size2D Stride => new(Geometry.StrideH, Geometry.StrideW);

    /// <summary>The padding as given.</summary>
    public Padding2D Padding { get; }

    /// <inheritdoc />
    public override string Describe() => Stride == Pool && Padding == Padding2D.Valid
        ? $"{_kind}({Pool})"
        : $"{_kind}({Pool}, stride {Stride}, {Padding})";
}
