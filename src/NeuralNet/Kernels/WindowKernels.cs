using System.Numerics;

namespace NeuralNet.Kernels;

/// <summary>
/// Span entry points for <see cref="Im2Col"/> and <see cref="Pooling"/>, split across the GEMM's worker threads
/// (<see cref="Gemm.MaxDegreeOfParallelism"/> of them at most). Every part writes its own disjoint slice of the output
/// and every value is summed in a fixed order, so the bits do not depend on the number of threads. Nothing is
/// allocated after the first call on a thread.
/// </summary>
internal static unsafe class WindowKernels
{
    /// <summary>Below this many values moved per part, waking another thread costs more than it saves.</summary>
    private const long MinValuesPerPart = 1 << 15;

    /// <summary>Fills <c>col</c> (<c>[(p1 - p0)·batch x C·KH·KW]</c>, column-major) for output pixels <c>[p0, p1)</c>; see <see cref="Im2Col"/>.</summary>
    public static void Gather<T>(ReadOnlySpan<T> input, int batch, in WindowGeometry g, int p0, int p1, Span<T> col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = g.Channels * g.Taps;
        fixed (T* px = input, pc = col)
        {
            Run(Op.Gather, px, pc, null, null, batch, g, k, (long)(p1 - p0) * batch * k, p0, p1);
        }
    }

    /// <summary>Sums the column gradient back onto the image: <paramref name="inputGradient"/> is overwritten; see <see cref="Im2Col.Scatter{T}"/>.</summary>
    public static void Scatter<T>(ReadOnlySpan<T> col, int batch, in WindowGeometry g, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pc = col, pd = inputGradient)
        {
            Run(Op.Scatter, pc, pd, null, null, batch, g, g.Channels, (long)g.OutPixels * batch * g.Channels * g.Taps, 0, 0);
        }
    }

    /// <summary>Max pooling forward; see <see cref="Pooling.MaxForward{T}"/>.</summary>
    public static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, py = y)
        {
            Run(Op.MaxForward, px, py, null, null, batch, g, g.Channels, (long)g.OutPixels * batch * g.Channels * g.Taps, 0, 0);
        }
    }

    /// <summary>Max pooling forward for training, recording each maximum's tap; see <see cref="Pooling.MaxForwardWithArgMax{T}"/>.</summary>
    public static void MaxForwardWithArgMax<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> argMax, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, py = y, pa = argMax)
        {
            Run(Op.MaxForwardWithArgMax, px, py, pa, null, batch, g, g.Channels, (long)g.OutPixels * batch * g.Channels * g.Taps, 0, 0);
        }
    }

    /// <summary>Max pooling backward from the recorded taps; see <see cref="Pooling.MaxBackward{T}"/>.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> argMax, ReadOnlySpan<T> dy, Span<T> dx, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pa = argMax, pdy = dy, pdx = dx)
        {
            Run(Op.MaxBackward, pa, pdy, pdx, null, batch, g, g.Channels, (long)g.OutPixels * batch * g.Channels * g.Taps, 0, 0);
        }
    }

    /// <summary>Average pooling forward; see <see cref="Pooling.AverageForward{T}"/>.</summary>
    public static void AverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, py = y)
        {
            Run(Op.AverageForward, px, py, null, null, batch, g, g.Channels, (long)g.OutPixels * batch * g.Channels * g.Taps, 0, 0);
        }
    }

    /// <summary>Average pooling backward; see <see cref="Pooling.AverageBackward{T}"/>.</summary>
    public static void AverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pdy = dy, pdx = dx)
        {
            Run(Op.AverageBackward, pdy, pdx, null, null, batch, g, g.Channels, (long)g.OutPixels * batch * g.Channels * g.Taps, 0, 0);
        }
    }

    /// <summary>Global average pooling forward over the whole image (<paramref name="g"/>'s input); see <see cref="Pooling.GlobalAverageForward{T}"/>.</summary>
    public static void GlobalAverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, py = y)
        {
            Run(Op.GlobalAverageForward, px, py, null, null, batch, g, g.Channels, (long)g.InPixels * batch * g.Channels, 0, 0);
        }
    }

    /// <summary>Global average pooling backward; see <see cref="Pooling.GlobalAverageBackward{T}"/>.</summary>
    public static void GlobalAverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pdy = dy, pdx = dx)
        {
            Run(Op.GlobalAverageBackward, pdy, pdx, null, null, batch, g, g.Channels, (long)g.InPixels * batch * g.Channels, 0, 0);
        }
    }

    private static void Run<T>(Op op, T* a, T* b, T* c, T* d, int batch, in WindowGeometry g, int units, long values, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Work<T> work = Work<T>.Instance ??= new Work<T>();
        work.Set(op, a, b, c, d, batch, g, p0, p1);
        int parts = (int)Math.Min(Math.Min(Gemm.MaxDegreeOfParallelism, units), Math.Max(1, values / MinValuesPerPart));
        work.Split(units, parts);
        if (parts <= 1 || !GemmWorkers.TryRun(work, parts))
        {
            work.Split(units, 1);
            work.Run(0);
        }

        work.Set(op, null, null, null, null, 0, default, 0, 0);
    }

    private enum Op
    {
        Gather,
        Scatter,
        MaxForward,
        MaxForwardWithArgMax,
        MaxBackward,
        AverageForward,
        AverageBackward,
        GlobalAverageForward,
        GlobalAverageBackward,
    }

    /// <summary>One call's arguments; part <c>t</c> of <c>parts</c> handles units (channels, or columns of <c>col</c>)
    /// <c>[t·units/parts, (t+1)·units/parts)</c>.</summary>
    private sealed class Work<T> : IGemmWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] internal static Work<T>? Instance;

        private Op _op;
        private T* _a, _b, _c, _d;
        private int _batch, _p0, _p1, _units, _parts;
        private WindowGeometry _g;

        public void Set(Op op, T* a, T* b, T* c, T* d, int batch, in WindowGeometry g, int p0, int p1)
        {
            _op = op;
            _a = a;
            _b = b;
            _c = c;
            _d = d;
            _batch = batch;
            _g = g;
            _p0 = p0;
            _p1 = p1;
        }

        public void Split(int units, int parts) => (_units, _parts) = (units, parts);

        public void Run(int part)
        {
            int first = (int)((long)part * _units / _parts), last = (int)((long)(part + 1) * _units / _parts);
            if (first >= last)
            {
                return;
            }

            switch (_op)
            {
                case Op.Gather: Im2Col.Gather(_a, _batch, _g, _p0, _p1, _b, first, last); break;
                case Op.Scatter: Im2Col.Scatter(_a, _batch, _g, _b, first, last); break;
                case Op.MaxForward: Pooling.MaxForward(_a, _b, _batch, _g, first, last); break;
                case Op.MaxForwardWithArgMax: Pooling.MaxForwardWithArgMax(_a, _b, _c, _batch, _g, first, last); break;
                case Op.MaxBackward: Pooling.MaxBackward(_a, _b, _c, _batch, _g, first, last); break;
                case Op.AverageForward: Pooling.AverageForward(_a, _b, _batch, _g, first, last); break;
                case Op.AverageBackward: Pooling.AverageBackward(_a, _b, _batch, _g, first, last); break;
                case Op.GlobalAverageForward: Pooling.GlobalAverageForward(_a, _b, _batch, _g.InPixels, first, last); break;
                default: Pooling.GlobalAverageBackward(_a, _b, _batch, _g.InPixels, first, last); break;
            }
        }
    }
}
