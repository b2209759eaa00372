using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// An element-wise optimiser update over the flat parameters (every tensor end to end, in layout order), split into
/// contiguous ranges over the GEMM's worker threads (<see cref="Gemm.MaxDegreeOfParallelism"/> of them at most). Each
/// element is updated by exactly one thread with the same operations whichever range, vector width or tail it falls
/// in, so the bits do not depend on the thread count. Each range also reduces what the trainer's divergence guard needs:
/// the largest <c>|θ'|</c> and <c>|state'|</c> after the step, and whether anything became NaN or infinite.
/// Nothing is allocated after the first step.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal abstract class FlatStepWork<T> : IGemmWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this many scalars per part, waking another thread costs more than it saves.</summary>
    private const int MinValuesPerPart = 1 << 15;

    private int _total, _parts;
    private bool _gradientPass;
    private double[] _maxValue = [], _maxState = [];
    private bool[] _bad = [];

    /// <summary>The parameters of the step in progress.</summary>
    protected IReadOnlyList<Parameter<T>> Parameters { get; private set; } = [];

    /// <summary>The largest <c>|θ'|</c> after the last step; NaN when a value is NaN or infinite.</summary>
    public double MaxValue { get; private set; }

    /// <summary>The largest <c>|state'|</c> after the last step (0 without state); NaN when the state holds a NaN, or
    /// an infinity where the optimiser needs it finite.</summary>
    public double MaxState { get; private set; }

    /// <summary>The largest <c>|g|</c> over every gradient (NaN when one is NaN), on the worker threads.</summary>
    public double MaxGradient(IReadOnlyList<Parameter<T>> parameters)
    {
        Run(parameters, gradientPass: true);
        return MaxValue;
    }

    /// <summary>Applies the update to every parameter and fills <see cref="MaxValue"/> and <see cref="MaxState"/>.</summary>
    public void Step(IReadOnlyList<Parameter<T>> parameters) => Run(parameters, gradientPass: false);

    /// <summary>Updates elements <c>[start, end)</c> of parameter <paramref name="p"/>, widening the three reductions.
    /// The vector loops reduce magnitudes with <c>MaxNative</c> (one <c>vmaxps</c>) rather than <c>Max</c>, whose IEEE
    /// handling of NaN and signed zeros costs about ten instructions per vector without AVX-512: magnitudes are never
    /// -0, and a NaN or infinity is reported through <paramref name="bad"/> anyway, which makes the reductions NaN. One
    /// Adam step over 235,146 parameters took 189-258 µs instead of 294-331 µs on one Zen 3 core (docs/benchmarks.md).</summary>
    protected abstract void Update(int p, int start, int end, ref T maxValue, ref T maxState, ref bool bad);

    private void Run(IReadOnlyList<Parameter<T>> parameters, bool gradientPass)
    {
        Parameters = parameters;
        _gradientPass = gradientPass;
        long total = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            total += parameters[p].Length;
        }

        _total = (int)total;
        int parts = (int)Math.Min(Gemm.MaxDegreeOfParallelism, Math.Max(1, total / MinValuesPerPart));
        if (_maxValue.Length < parts)
        {
            _maxValue = new double[parts];
            _maxState = new double[parts];
            _bad = new bool[parts];
        }

        _parts = parts;
        if (parts <= 1 || !GemmWorkers.TryRun(this, parts))
        {
            _parts = 1;
            Run(0);
        }

        double maxValue = 0, maxState = 0;
        bool bad = false;
        for (int part = 0; part < _parts; part++)
        {
            maxValue = Math.Max(maxValue, _maxValue[part]);
            maxState = Math.Max(maxState, _maxState[part]);
            bad |= _bad[part];
        }

        MaxValue = bad ? double.NaN : maxValue;
        MaxState = bad ? double.NaN : maxState;
        Parameters = [];
    }

    /// <summary>Part <paramref name="part"/>: flat elements <c>[lo, hi)</c>, cut on multiples of 16 (one 64-byte line).</summary>
    public void Run(int part)
    {
        int lines = (_total + 15) / 16;
        int lo = Math.Min(_total, (int)((long)part * lines / _parts) * 16);
        int hi = Math.Min(_total, (int)((long)(part + 1) * lines / _parts) * 16);
        T maxValue = T.Zero, maxState = T.Zero;
        bool bad = false;
        int offset = 0;
        for (int p = 0; p < Parameters.Count && offset < hi; p++)
        {
            int length = Parameters[p].Length;
            int start = Math.Max(lo, offset) - offset, end = Math.Min(hi, offset + length) - offset;
            if (start < end)
            {
                if (_gradientPass)
                {
                    maxValue = T.Max(maxValue, MaxAbs(Parameters[p].Gradient[start..end], ref bad));
                }
                else
                {
                    Update(p, start, end, ref maxValue, ref maxState, ref bad);
                }
            }

            offset += length;
        }

        _maxValue[part] = double.CreateTruncating(maxValue);
        _maxState[part] = double.CreateTruncating(maxState);
        _bad[part] = bad;
    }

    /// <summary>
    /// <c>max |g|</c> (∞ when a value is infinite), setting <paramref name="nan"/> when a value is NaN (the maximum
    /// is then meaningless). The same answer as <c>TensorPrimitives.MaxMagnitude</c> for the guard, with one
    /// <c>vmaxps</c> per vector instead of its IEEE handling of NaN and signed zeros: a guarded Adam step (this scan, then
    /// the update) over 235,146 parameters took 217-305 µs instead of 331-345 µs on one Zen 3 core (docs/benchmarks.md).
    /// </summary>
    private static T MaxAbs(ReadOnlySpan<T> g, ref bool nan)
    {
        T max = T.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated && g.Length >= Vector<T>.Count)
        {
            ReadOnlySpan<Vector<T>> vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            Vector<T> acc = Vector<T>.Zero, nanLanes = Vector<T>.Zero;
            for (int k = 0; k < vg.Length; k++)
            {
                Vector<T> v = vg[k];
                acc = Vector.MaxNative(acc, Vector.Abs(v));
                nanLanes |= ~Vector.Equals(v, v);
            }

            for (int l = 0; l < Vector<T>.Count; l++)
            {
                max = T.Max(max, acc[l]);
            }

            nan |= nanLanes != Vector<T>.Zero;
            i = vg.Length * Vector<T>.Count;
        }

        for (; i < g.Length; i++)
        {
            T a = T.Abs(g[i]);
            nan |= T.IsNaN(a);
            max = T.Max(max, a);
        }

        return max;
    }
}
