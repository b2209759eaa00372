using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// Zero padding around the image of a 2-D window layer (<see cref="Conv2DLayer{T}"/>, pooling): <see cref="Valid"/>
/// (none), <see cref="Same"/> (output size <c>ceil(input / stride)</c>, as Keras and TensorFlow pad), or explicit
/// rows and columns per side.
/// </summary>
/// <remarks>
/// With <see cref="Same"/> the total padding along an axis is
/// <c>max((out - 1)·stride + (kernel - 1)·dilation + 1 - in, 0)</c>, split with the smaller half before (top, left)
/// and the larger after (bottom, right); for stride 1 and an odd kernel that is <c>(kernel - 1)·dilation / 2</c> on each
/// side, PyTorch's <c>padding='same'</c>. The default value is <see cref="Valid"/>.
/// </remarks>
public readonly record struct Padding2D
{
    private Padding2D(bool same, int top, int bottom, int left, int right)
    {
        IsSame = same;
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    /// <summary>No padding: every window lies inside the image, output <c>floor((in - span) / stride) + 1</c>.</summary>
    public static Padding2D Valid => default;

    /// <summary>Pads so that the output has <c>ceil(in / stride)</c> rows and columns (see the remarks).</summary>
    public static Padding2D Same => new(true, 0, 0, 0, 0);

    /// <summary>Whether this is <see cref="Same"/> (the amounts then depend on the input and are resolved by the layer).</summary>
    public bool IsSame { get; }

    /// <summary>Zero rows above the image (0 for <see cref="Same"/>, which resolves it per input).</summary>
    public int Top { get; }

    /// <summary>Zero rows below the image.</summary>
    public int Bottom { get; }

    /// <summary>Zero columns left of the image.</summary>
    public int Left { get; }

    /// <summary>Zero columns right of the image.</summary>
    public int Right { get; }

    /// <summary>The same padding on both sides of each axis, as PyTorch's <c>padding=(height, width)</c>.</summary>
    /// <param name="height">Zero rows above and below.</param>
    /// <param name="width">Zero columns left and right.</param>
    /// <exception cref="ArgumentOutOfRangeException">An amount is negative.</exception>
    public static Padding2D Explicit(int height, int width) => Explicit(height, height, width, width);

    /// <summary>Padding given side by side.</summary>
    /// <param name="top">Zero rows above.</param>
    /// <param name="bottom">Zero rows below.</param>
    /// <param name="left">Zero columns left.</param>
    /// <param name="right">Zero columns right.</param>
    /// <exception cref="ArgumentOutOfRangeException">An amount is negative.</exception>
    public static Padding2D Explicit(int top, int bottom, int left, int right)
    {
        ThrowIfNegative(top, nameof(top));
        ThrowIfNegative(bottom, nameof(bottom));
        ThrowIfNegative(left, nameof(left));
        ThrowIfNegative(right, nameof(right));
        return new Padding2D(false, top, bottom, left, right);
    }

    /// <summary>
    /// The padding amounts for one input, <see cref="Same"/> resolved: <c>(top, bottom, left, right)</c>.
    /// </summary>
    /// <param name="input">Input height and width.</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="dilation">Dilation.</param>
    public (int Top, int Bottom, int Left, int Right) Resolve(Size2D input, Size2D kernel, Size2D stride, Size2D dilation)
    {
        if (!IsSame)
        {
            return (Top, Bottom, Left, Right);
        }

        (int top, int bottom) = SameAxis(input.Height, kernel.Height, stride.Height, dilation.Height);
        (int left, int right) = SameAxis(input.Width, kernel.Width, stride.Width, dilation.Width);
        return (top, bottom, left, right);
    }

    private static (int Before, int After) SameAxis(int input, int kernel, int stride, int dilation)
    {
        long output = (input + stride - 1L) / stride;
        int total = (int)Math.Clamp((output - 1) * stride + (kernel - 1L) * dilation + 1 - input, 0, int.MaxValue / 4);
        return (total / 2, total - total / 2);
    }

    private static void ThrowIfNegative(int value, string paramName)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be non-negative. Received: {paramName}={value}");
        }
    }

    /// <summary><c>valid</c>, <c>same</c>, or <c>explicit(top,bottom,left,right)</c>.</summary>
    public override string ToString() =>
        IsSame ? "same"
        : Top == 0 && Bottom == 0 && Left == 0 && Right == 0 ? "valid"
        : string.Create(CultureInfo.InvariantCulture, $"explicit({Top},{Bottom},{Left},{Right})");
}
