using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Kernels;

/// <summary>
/// Pooling over 2-D windows on the library's batch layout (see <see cref="WindowGeometry"/>): each output value
/// <c>y[b, (c, oy, ox)]</c> combines the taps of its window that lie inside the image (padding is never a candidate
/// and never counted). Every routine handles channels <c>[c0, c1)</c>, which lets channels run on different threads.
/// </summary>
internal static unsafe class Pooling
{
    /// <summary><c>y = max over the window's taps of x</c>, one run of <c>batch</c> values per tap.</summary>
    public static void MaxForward<T>(T* x, T* y, int batch, in WindowGeometry g, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = c0; c < c1; c++)
        {
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    Span<T> dst = Span(y + ((long)(c * g.OutHeight + oy) * g.OutWidth + ox) * batch, batch);
                    bool first = true;
                    for (int ky = 0; ky < g.KernelH; ky++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
                        if ((uint)iy >= (uint)g.InHeight)
                        {
                            continue;
                        }

                        for (int kx = 0; kx < g.KernelW; kx++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                            if ((uint)ix >= (uint)g.InWidth)
                            {
                                continue;
                            }

                            ReadOnlySpan<T> src = Span(x + ((long)(c * g.InHeight + iy) * g.InWidth + ix) * batch, batch);
                            if (first)
                            {
                                src.CopyTo(dst);
                                first = false;
                            }
                            else
                            {
                                TensorPrimitives.Max(dst, src, dst);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>dx[tap] += dy</c> for the first tap, in scan order (ky, then kx), whose value equals the window's maximum:
    /// the tap PyTorch's argmax picks. Overwrites channels <c>[c0, c1)</c> of <paramref name="dx"/>.
    /// </summary>
    public static void MaxBackward<T>(T* x, T* y, T* dy, T* dx, int batch, in WindowGeometry g, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span(dx + (long)c0 * g.InPixels * batch, (c1 - c0) * g.InPixels * batch).Clear();
        for (int c = c0; c < c1; c++)
        {
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    long o = ((long)(c * g.OutHeight + oy) * g.OutWidth + ox) * batch;
                    for (int b = 0; b < batch; b++)
                    {
                        T max = y[o + b];
                        long tap = ArgMaxTap(x, max, b, batch, c, oy, ox, g);
                        if (tap >= 0)
                        {
                            dx[tap] += dy[o + b];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The index in <c>x</c> of the first tap of window (oy, ox) equal to <paramref name="max"/>; -1 for none (NaN).</summary>
    private static long ArgMaxTap<T>(T* x, T max, int b, int batch, int c, int oy, int ox, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ky = 0; ky < g.KernelH; ky++)
        {
            int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
            if ((uint)iy >= (uint)g.InHeight)
            {
                continue;
            }

            for (int kx = 0; kx < g.KernelW; kx++)
            {
                int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                if ((uint)ix >= (uint)g.InWidth)
                {
                    continue;
                }

                long index = ((long)(c * g.InHeight + iy) * g.InWidth + ix) * batch + b;
                if (x[index] == max)
                {
                    return index;
                }
            }
        }

        return -1;
    }

    /// <summary><c>y = (Σ over the window's n taps inside the image of x) / n</c>.</summary>
    public static void AverageForward<T>(T* x, T* y, int batch, in WindowGeometry g, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = c0; c < c1; c++)
        {
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    Span<T> dst = Span(y + ((long)(c * g.OutHeight + oy) * g.OutWidth + ox) * batch, batch);
                    int n = 0;
                    for (int ky = 0; ky < g.KernelH; ky++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
                        if ((uint)iy >= (uint)g.InHeight)
                        {
                            continue;
                        }

                        for (int kx = 0; kx < g.KernelW; kx++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                            if ((uint)ix >= (uint)g.InWidth)
                            {
                                continue;
                            }

                            ReadOnlySpan<T> src = Span(x + ((long)(c * g.InHeight + iy) * g.InWidth + ix) * batch, batch);
                            if (n++ == 0)
                            {
                                src.CopyTo(dst);
                            }
                            else
                            {
                                TensorPrimitives.Add(dst, src, dst);
                            }
                        }
                    }

                    TensorPrimitives.Divide(dst, T.CreateChecked(n), dst);
                }
            }
        }
    }

    /// <summary><c>dx[tap] += dy / n</c> for each of the window's n taps inside the image. Overwrites channels <c>[c0, c1)</c>.</summary>
    public static void AverageBackward<T>(T* dy, T* dx, int batch, in WindowGeometry g, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span(dx + (long)c0 * g.InPixels * batch, (c1 - c0) * g.InPixels * batch).Clear();
        for (int c = c0; c < c1; c++)
        {
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                int rows = CountInside(oy, g.StrideH, g.PadTop, g.DilationH, g.KernelH, g.InHeight);
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int columns = CountInside(ox, g.StrideW, g.PadLeft, g.DilationW, g.KernelW, g.InWidth);
                    T scale = T.One / T.CreateChecked(rows * columns);
                    ReadOnlySpan<T> src = Span(dy + ((long)(c * g.OutHeight + oy) * g.OutWidth + ox) * batch, batch);
                    for (int ky = 0; ky < g.KernelH; ky++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
                        if ((uint)iy >= (uint)g.InHeight)
                        {
                            continue;
                        }

                        for (int kx = 0; kx < g.KernelW; kx++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                            if ((uint)ix >= (uint)g.InWidth)
                            {
                                continue;
                            }

                            Span<T> dst = Span(dx + ((long)(c * g.InHeight + iy) * g.InWidth + ix) * batch, batch);
                            TensorPrimitives.MultiplyAdd(src, scale, dst, dst);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Taps <c>k &lt; kernel</c> of output index <paramref name="o"/> with <c>0 ≤ o·stride - pad + k·dilation &lt; size</c>.</summary>
    private static int CountInside(int o, int stride, int pad, int dilation, int kernel, int size)
    {
        int n = 0;
        for (int k = 0; k < kernel; k++)
        {
            int i = o * stride - pad + k * dilation;
            if ((uint)i < (uint)size)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary><c>y[b, c] = (Σ over the H·W pixels of channel c of x) / (H·W)</c>.</summary>
    public static void GlobalAverageForward<T>(T* x, T* y, int batch, int pixels, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(pixels);
        for (int c = c0; c < c1; c++)
        {
            Span<T> dst = Span(y + (long)c * batch, batch);
            T* channel = x + (long)c * pixels * batch;
            Span(channel, batch).CopyTo(dst);
            for (int p = 1; p < pixels; p++)
            {
                TensorPrimitives.Add(dst, Span(channel + (long)p * batch, batch), dst);
            }

            TensorPrimitives.Divide(dst, count, dst);
        }
    }

    /// <summary><c>dx[b, (c, pixel)] = dy[b, c] / (H·W)</c> for every pixel.</summary>
    public static void GlobalAverageBackward<T>(T* dy, T* dx, int batch, int pixels, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(pixels);
        for (int c = c0; c < c1; c++)
        {
            ReadOnlySpan<T> src = Span(dy + (long)c * batch, batch);
            T* channel = dx + (long)c * pixels * batch;
            for (int p = 0; p < pixels; p++)
            {
                TensorPrimitives.Divide(src, count, Span(channel + (long)p * batch, batch));
            }
        }
    }

    private static Span<T> Span<T>(T* pointer, int length) where T : unmanaged => new(pointer, length);
}
