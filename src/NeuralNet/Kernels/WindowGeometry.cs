using NeuralNet.Layers;

namespace NeuralNet.Kernels;

/// <summary>
/// Where the windows of a 2-D convolution or pooling fall on an image of <c>Channels x InHeight x InWidth</c>.
/// Output pixel <c>(oy, ox)</c> reads input pixels <c>(oy·StrideH - PadTop + ky·DilationH, ox·StrideW - PadLeft + kx·DilationW)</c>
/// for <c>ky &lt; KernelH</c>, <c>kx &lt; KernelW</c>; those outside the image are padding.
/// </summary>
/// <remarks>
/// A batch is stored as the library stores every batch, column-major <c>[batch x C·H·W]</c>: the <c>batch</c> values of
/// one (channel, row, column) are contiguous, so the memory order is C, H, W, then the sample. Every kernel below
/// therefore moves whole runs of <c>batch</c> values at a time.
/// </remarks>
internal readonly record struct WindowGeometry
{
    public WindowGeometry(FeatureShape input, Size2D kernel, Size2D stride, Size2D dilation, Padding2D padding, string layer)
    {
        Channels = input.Channels;
        InHeight = input.Height;
        InWidth = input.Width;
        KernelH = kernel.Height;
        KernelW = kernel.Width;
        StrideH = stride.Height;
        StrideW = stride.Width;
        DilationH = dilation.Height;
        DilationW = dilation.Width;
        (int top, int bottom, int left, int right) = padding.Resolve(new Size2D(InHeight, InWidth), kernel, stride, dilation);
        PadTop = top;
        PadLeft = left;
        PadBottom = bottom;
        PadRight = right;
        // In 64 bits: absurd kernels, dilations or paddings must fail the fit test below, not wrap around.
        long spanH = (KernelH - 1L) * DilationH + 1, spanW = (KernelW - 1L) * DilationW + 1;
        long paddedH = (long)InHeight + top + bottom, paddedW = (long)InWidth + left + right;
        if (spanH > paddedH || spanW > paddedW)
        {
            throw new ArgumentException(
                $"{layer}: the {spanH}x{spanW} window (kernel {kernel}, dilation {dilation}) does not fit the {paddedH}x{paddedW} padded input (input {input}, padding {padding}).",
                "inputShape");
        }

        OutHeight = (int)((paddedH - spanH) / StrideH + 1);
        OutWidth = (int)((paddedW - spanW) / StrideW + 1);
    }

    public int Channels { get; }

    public int InHeight { get; }

    public int InWidth { get; }

    public int KernelH { get; }

    public int KernelW { get; }

    public int StrideH { get; }

    public int StrideW { get; }

    public int DilationH { get; }

    public int DilationW { get; }

    public int PadTop { get; }

    public int PadLeft { get; }

    public int PadBottom { get; }

    public int PadRight { get; }

    public int OutHeight { get; }

    public int OutWidth { get; }

    /// <summary>Pixels of one input channel, <c>H·W</c>.</summary>
    public int InPixels => InHeight * InWidth;

    /// <summary>Pixels of one output channel, <c>OH·OW</c>.</summary>
    public int OutPixels => OutHeight * OutWidth;

    /// <summary>Taps of one window on one channel, <c>KH·KW</c>.</summary>
    public int Taps => KernelH * KernelW;

    /// <summary>
    /// Pooling needs at least one image pixel in every window: padding on any side must be narrower than the window.
    /// </summary>
    /// <exception cref="ArgumentException">A side is padded by the window's size or more.</exception>
    public void ThrowIfPaddingCoversWindow(Padding2D padding, string layer)
    {
        if (Math.Max(PadTop, PadBottom) >= KernelH || Math.Max(PadLeft, PadRight) >= KernelW)
        {
            throw new ArgumentException(
                $"{layer}: padding {padding} (top {PadTop}, bottom {PadBottom}, left {PadLeft}, right {PadRight}) must be smaller than the {KernelH}x{KernelW} window on every side, or some windows would hold only padding.",
                nameof(padding));
        }
    }

    /// <summary>
    /// The output columns <c>[first, last)</c> whose window tap at kernel column <paramref name="kx"/> lands inside the
    /// image: <c>0 ≤ ox·StrideW - PadLeft + kx·DilationW &lt; InWidth</c>.
    /// </summary>
    public (int First, int Last) ValidColumns(int kx) => ValidRange(kx * DilationW - PadLeft, StrideW, InWidth, OutWidth);

    /// <summary>The output rows whose tap at kernel row <paramref name="ky"/> lands inside the image.</summary>
    public (int First, int Last) ValidRows(int ky) => ValidRange(ky * DilationH - PadTop, StrideH, InHeight, OutHeight);

    /// <summary>The <c>o</c> in <c>[0, outSize)</c> with <c>0 ≤ o·stride + offset &lt; inSize</c>, as <c>[first, last)</c>.</summary>
    private static (int First, int Last) ValidRange(int offset, int stride, int inSize, int outSize)
    {
        // o·stride + offset ≥ 0  ⇔  o ≥ ceil(-offset / stride);  o·stride + offset ≤ inSize - 1  ⇔  o ≤ floor((inSize - 1 - offset) / stride).
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int lastInclusive = inSize - 1 - offset < 0 ? -1 : (inSize - 1 - offset) / stride;
        first = Math.Min(first, outSize);
        int last = Math.Clamp(lastInclusive + 1, first, outSize);
        return (first, last);
    }
}
