using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Kernels;

/// <summary>
/// The lowering that turns a convolution into one matrix product (Chellapilla et al. 2006, "High performance
/// convolutional neural networks for document processing"), on the library's batch layout.
/// </summary>
/// <remarks>
/// The column matrix <c>col</c> is <c>[P·batch x C·KH·KW]</c>, column-major, for output pixels <c>p0 ≤ p &lt; p1</c>:
/// row <c>(p - p0)·batch + b</c> is sample <c>b</c> at output pixel <c>p = oy·OW + ox</c>, column
/// <c>k = (c·KH + ky)·KW + kx</c> is one tap of one input channel, and
/// <c>col[(p - p0)·batch + b, k] = x[b, (c, oy·sH - pT + ky·dH, ox·sW - pL + kx·dW)]</c> (0 in the padding).
/// Then <c>Z = col · W</c> with <c>W</c> <c>[C·KH·KW x F]</c> is the convolution output <c>[P·batch x F]</c>, whose
/// column-major memory is exactly the output batch <c>[batch x F·OH·OW]</c> in channel-major order: no reordering
/// on either side. Because the batch is the fastest index, every tap moves runs of <c>batch</c> contiguous values,
/// and with stride 1 a whole row of output pixels is one contiguous run.
/// </remarks>
internal static unsafe class Im2Col
{
    /// <summary>Fills columns <c>[k0, k1)</c> of <c>col</c> (leading dimension <c>(p1 - p0)·batch</c>) for output pixels <c>[p0, p1)</c>.</summary>
    public static void Gather<T>(T* input, int batch, in WindowGeometry g, int p0, int p1, T* col, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long rows = (long)(p1 - p0) * batch;
        int taps = g.Taps;
        for (int k = k0; k < k1; k++)
        {
            int c = k / taps, ky = k % taps / g.KernelW, kx = k % g.KernelW;
            (int oyFirst, int oyLast) = g.ValidRows(ky);
            (int oxFirst, int oxLast) = g.ValidColumns(kx);
            int iyOffset = ky * g.DilationH - g.PadTop, ixOffset = kx * g.DilationW - g.PadLeft;
            T* column = col + k * rows;
            for (int p = p0; p < p1;)
            {
                // One output row's stretch [ox0, oxEnd) of the pixels p0..p1.
                int oy = p / g.OutWidth, ox0 = p - oy * g.OutWidth;
                int oxEnd = Math.Min(g.OutWidth, ox0 + (p1 - p));
                T* dst = column + (long)(p - p0) * batch;
                if (oy < oyFirst || oy >= oyLast)
                {
                    Span(dst, (oxEnd - ox0) * batch).Clear();
                }
                else
                {
                    int a = Math.Clamp(oxFirst, ox0, oxEnd), e = Math.Clamp(oxLast, a, oxEnd);
                    Span(dst, (a - ox0) * batch).Clear();
                    Span(dst + (long)(e - ox0) * batch, (oxEnd - e) * batch).Clear();
                    T* src = input + ((long)(c * g.InHeight + oy * g.StrideH + iyOffset) * g.InWidth + ixOffset) * batch;
                    T* to = dst + (long)(a - ox0) * batch;
                    if (g.StrideW == 1)
                    {
                        // Consecutive output columns read consecutive input columns: one contiguous run.
                        Span(src + (long)a * batch, (e - a) * batch).CopyTo(Span(to, (e - a) * batch));
                    }
                    else
                    {
                        for (int ox = a; ox < e; ox++, to += batch)
                        {
                            Span(src + (long)ox * g.StrideW * batch, batch).CopyTo(Span(to, batch));
                        }
                    }
                }

                p += oxEnd - ox0;
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Gather{T}"/> over all output pixels, for channels <c>[c0, c1)</c>:
    /// <c>dx[b, (c, iy, ix)] = Σ over the (tap, pixel) pairs that read (iy, ix) of dcol[p·batch + b, k]</c>.
    /// Overwrites those channels of <paramref name="inputGradient"/>. Each channel's sums run over taps then pixels in
    /// a fixed order, whichever thread owns the channel.
    /// </summary>
    public static void Scatter<T>(T* col, int batch, in WindowGeometry g, T* inputGradient, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long rows = (long)g.OutPixels * batch;
        int taps = g.Taps;
        Span(inputGradient + (long)c0 * g.InPixels * batch, (c1 - c0) * g.InPixels * batch).Clear();
        for (int c = c0; c < c1; c++)
        {
            for (int t = 0; t < taps; t++)
            {
                int ky = t / g.KernelW, kx = t % g.KernelW;
                (int oyFirst, int oyLast) = g.ValidRows(ky);
                (int a, int e) = g.ValidColumns(kx);
                if (a >= e)
                {
                    continue;
                }

                int iyOffset = ky * g.DilationH - g.PadTop, ixOffset = kx * g.DilationW - g.PadLeft;
                T* column = col + (c * taps + t) * rows;
                for (int oy = oyFirst; oy < oyLast; oy++)
                {
                    T* src = column + ((long)oy * g.OutWidth + a) * batch;
                    T* dst = inputGradient + ((long)(c * g.InHeight + oy * g.StrideH + iyOffset) * g.InWidth + ixOffset) * batch;
                    if (g.StrideW == 1)
                    {
                        Span<T> run = Span(dst + (long)a * batch, (e - a) * batch);
                        TensorPrimitives.Add(run, Span(src, (e - a) * batch), run);
                    }
                    else
                    {
                        for (int ox = a; ox < e; ox++, src += batch)
                        {
                            Span<T> run = Span(dst + (long)ox * g.StrideW * batch, batch);
                            TensorPrimitives.Add(run, Span(src, batch), run);
                        }
                    }
                }
            }
        }
    }

    private static Span<T> Span<T>(T* pointer, int length) where T : unmanaged => new(pointer, length);
}
