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
    /// <see cref="MaxForward{T}"/> that also records, in <paramref name="argMax"/> (same layout as <c>y</c>), the number
    /// <c>ky·KW + kx</c> of the tap that holds each maximum: the first in scan order (row, then column), as PyTorch's
    /// <c>max_pool2d</c> picks it (a later tap wins only if strictly greater, or NaN). Tap numbers are small integers,
    /// exact in <typeparamref name="T"/>, so the record is compared lane by lane with the same vectors as the values.
    /// </summary>
    public static void MaxForwardWithArgMax<T>(T* x, T* y, T* argMax, int batch, in WindowGeometry g, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector<T>.Count;
        for (int c = c0; c < c1; c++)
        {
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    long o = ((long)(c * g.OutHeight + oy) * g.OutWidth + ox) * batch;
                    T* max = y + o, arg = argMax + o;
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

                            T* src = x + ((long)(c * g.InHeight + iy) * g.InWidth + ix) * batch;
                            T tap = T.CreateTruncating(ky * g.KernelW + kx);
                            if (first)
                            {
                                Span(src, batch).CopyTo(Span(max, batch));
                                Span(arg, batch).Fill(tap);
                                first = false;
                                continue;
                            }

                            var tapVector = new Vector<T>(tap);
                            int b = 0;
                            for (; b <= batch - lanes; b += lanes)
                            {
                                Vector<T> v = Vector.Load(src + b), m = Vector.Load(max + b);

                                // Take the tap where v > m or v is NaN (v != v).
                                Vector<T> take = Vector.GreaterThan(v, m) | ~Vector.Equals(v, v);
                                Vector.ConditionalSelect(take, v, m).Store(max + b);
                                Vector.ConditionalSelect(take, tapVector, Vector.Load(arg + b)).Store(arg + b);
                            }

                            for (; b < batch; b++)
                            {
                                if (src[b] > max[b] || T.IsNaN(src[b]))
                                {
                                    max[b] = src[b];
                                    arg[b] = tap;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>dx[tap] += dy</c> for the tap <see cref="MaxForwardWithArgMax{T}"/> recorded, lane by lane:
    /// <c>dx[tap t] += (argMax == t ? dy : 0)</c>. Overwrites channels <c>[c0, c1)</c> of <paramref name="dx"/>.
    /// </summary>
    public static void MaxBackward<T>(T* argMax, T* dy, T* dx, int batch, in WindowGeometry g, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector<T>.Count;
        Span(dx + (long)c0 * g.InPixels * batch, (c1 - c0) * g.InPixels * batch).Clear();
        for (int c = c0; c < c1; c++)
        {
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    long o = ((long)(c * g.OutHeight + oy) * g.OutWidth + ox) * batch;
                    T* arg = argMax + o, grad = dy + o;
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

                            T* dst = dx + ((long)(c * g.InHeight + iy) * g.InWidth + ix) * batch;
                            T tap = T.CreateTruncating(ky * g.KernelW + kx);
                            var tapVector = new Vector<T>(tap);
                            int b = 0;
                            for (; b <= batch - lanes; b += lanes)
                            {
                                Vector<T> hit = Vector.Equals(Vector.Load(arg + b), tapVector);
                                (Vector.Load(dst + b) + (hit & Vector.Load(grad + b))).Store(dst + b);
                            }

                            for (; b < batch; b++)
                            {
                                if (arg[b] == tap)
                                {
                                    dst[b] += grad[b];
                                }
                            }
                        }
                    }
                }
            }
        }
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
