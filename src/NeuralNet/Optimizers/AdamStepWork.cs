using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Adam's update over the flat parameters (see <see cref="Adam"/> for the maths), one pass over the four arrays per
/// element: 512-bit lanes where the CPU has them, else <see cref="Vector{T}"/> lanes, then a scalar tail, each with the
/// same multiplies, adds, divide and square root in the same order (no fused multiply-add), so every element gets
/// bit-identical arithmetic whichever path and thread it takes.
/// <para>
/// A moment that falls below the smallest normal number is stored as a zero of its sign (<see cref="FlushToZero"/>,
/// as <c>torch.set_flush_denormal(True)</c> does): once a unit's gradient stops (a dead ReLU unit), <c>m ← 0.9 m</c>
/// reaches the subnormal range within about 800 steps and then stays there for ever. In
/// 3,300 steps of 784-256-128-10 on uniform random inputs, 14.8% of the first layer's <c>m</c> was subnormal on
/// average, and the half of the flat update holding most of them ran 1.46x slower than the other (docs/benchmarks.md). The weights are not affected
/// in practice: a subnormal m moves <c>θ</c> by at most <c>η/(1 - β1^t) · 2^-126 / ε</c> (about 2^-109 with the
/// defaults, late in training), under half an ulp of any float weight above 2^-85; a subnormal v changes
/// <c>√v̂ + ε</c> only when ε is below about 10^-19.
/// </para>
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class AdamStepWork<T> : FlatStepWork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Array[] _slots = [];
    private int _count;
    private T _b1, _b2, _oneMinusB1, _oneMinusB2, _eps, _stepScale, _inverseCorrection2, _decay;
    private bool _decoupled;

    /// <summary>Sets the moments (<paramref name="slots"/>: the <paramref name="count"/> first moments, then the
    /// second moments) and the step's scalars: <c>θ ← θ·s - η/(1 - β1^t) · m / (√(v/(1 - β2^t)) + ε)</c>
    /// with <c>s = decay</c> on regularised tensors when <paramref name="decoupled"/>, else 1.</summary>
    public void Set(Array[] slots, int count, T b1, T b2, T oneMinusB1, T oneMinusB2, T eps, T stepScale, T inverseCorrection2, T decay, bool decoupled)
    {
        _slots = slots;
        _count = count;
        (_b1, _b2, _oneMinusB1, _oneMinusB2, _eps, _stepScale, _inverseCorrection2, _decay, _decoupled) =
            (b1, b2, oneMinusB1, oneMinusB2, eps, stepScale, inverseCorrection2, decay, decoupled);
    }

    /// <inheritdoc />
    protected override void Update(int p, int start, int end, ref T maxValue, ref T maxState, ref bool bad)
    {
        int length = end - start;
        Span<T> value = Parameters[p].Value.Slice(start, length), m = ((T[])_slots[p]).AsSpan(start, length), v = ((T[])_slots[_count + p]).AsSpan(start, length);
        ReadOnlySpan<T> gradient = Parameters[p].Gradient.Slice(start, length);
        T b1 = _b1, b2 = _b2, oneMinusB1 = _oneMinusB1, oneMinusB2 = _oneMinusB2, eps = _eps, stepScale = _stepScale, inverseCorrection2 = _inverseCorrection2;
        T scale = _decoupled && Parameters[p].IsRegularized ? _decay : T.One;
        T minNormal = FlushToZero.MinNormal<T>();
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            Span<Vector512<T>> vValue = MemoryMarshal.Cast<T, Vector512<T>>(value), vM = MemoryMarshal.Cast<T, Vector512<T>>(m), vV = MemoryMarshal.Cast<T, Vector512<T>>(v);
            ReadOnlySpan<Vector512<T>> vGradient = MemoryMarshal.Cast<T, Vector512<T>>(gradient);
            Vector512<T> vb1 = Vector512.Create(b1), vb2 = Vector512.Create(b2), v1b1 = Vector512.Create(oneMinusB1), v1b2 = Vector512.Create(oneMinusB2);
            Vector512<T> vEps = Vector512.Create(eps), vStep = Vector512.Create(stepScale), vInv2 = Vector512.Create(inverseCorrection2), vScale = Vector512.Create(scale);
            Vector512<T> vMinNormal = Vector512.Create(minNormal);
            Vector512<T> maxV = Vector512<T>.Zero, maxM = Vector512<T>.Zero, nonFinite = Vector512<T>.Zero;
            for (int k = 0; k < vValue.Length; k++)
            {
                Vector512<T> g = vGradient[k];
                Vector512<T> mk = vb1 * vM[k] + v1b1 * g;
                Vector512<T> vk = vb2 * vV[k] + v1b2 * (g * g);
                mk = FlushToZero.Apply(mk, vMinNormal);
                vk = FlushToZero.Apply(vk, vMinNormal);
                vM[k] = mk;
                vV[k] = vk;
                Vector512<T> t = vValue[k] * vScale + vStep * (mk / (Vector512.Sqrt(vk * vInv2) + vEps));
                vValue[k] = t;
                maxV = Vector512.MaxNative(maxV, Vector512.Abs(t));
                maxM = Vector512.MaxNative(maxM, Vector512.Abs(mk));

                // x - x is 0 exactly when x is finite, else NaN, and a NaN stays in the sum: the lane is NaN from the
                // first θ' or m' that is not finite. A NaN v' (v may be +∞ when g² overflowed, but not NaN) makes θ'
                // NaN through √v', so it needs no test of its own.
                nonFinite += (t - t) + (mk - mk);
            }

            for (int l = 0; l < Vector512<T>.Count; l++)
            {
                maxValue = T.Max(maxValue, maxV[l]);
                maxState = T.Max(maxState, maxM[l]);
            }

            bad |= nonFinite != Vector512<T>.Zero;
            i = vValue.Length * Vector512<T>.Count;
        }
        else if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value), vM = MemoryMarshal.Cast<T, Vector<T>>(m), vV = MemoryMarshal.Cast<T, Vector<T>>(v);
            ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            Vector<T> vb1 = new(b1), vb2 = new(b2), v1b1 = new(oneMinusB1), v1b2 = new(oneMinusB2);
            Vector<T> vEps = new(eps), vStep = new(stepScale), vInv2 = new(inverseCorrection2), vScale = new(scale);
            Vector<T> vMinNormal = new(minNormal);
            Vector<T> maxV = Vector<T>.Zero, maxM = Vector<T>.Zero, nonFinite = Vector<T>.Zero;
            for (int k = 0; k < vValue.Length; k++)
            {
                Vector<T> g = vGradient[k];
                Vector<T> mk = vb1 * vM[k] + v1b1 * g;
                Vector<T> vk = vb2 * vV[k] + v1b2 * (g * g);
                mk = FlushToZero.Apply(mk, vMinNormal);
                vk = FlushToZero.Apply(vk, vMinNormal);
                vM[k] = mk;
                vV[k] = vk;
                Vector<T> t = vValue[k] * vScale + vStep * (mk / (Vector.SquareRoot(vk * vInv2) + vEps));
                vValue[k] = t;
                maxV = Vector.MaxNative(maxV, Vector.Abs(t));
                maxM = Vector.MaxNative(maxM, Vector.Abs(mk));
                nonFinite += (t - t) + (mk - mk);
            }

            for (int l = 0; l < Vector<T>.Count; l++)
            {
                maxValue = T.Max(maxValue, maxV[l]);
                maxState = T.Max(maxState, maxM[l]);
            }

            bad |= nonFinite != Vector<T>.Zero;
            i = vValue.Length * Vector<T>.Count;
        }

        for (; i < value.Length; i++)
        {
            // m = β1 m + (1 - β1) g;  v = β2 v + (1 - β2) g²;  θ = θ s - η/(1 - β1^t) · m / (√(v/(1 - β2^t)) + ε)
            T g = gradient[i];
            T mi = b1 * m[i] + oneMinusB1 * g;
            T vi = b2 * v[i] + oneMinusB2 * (g * g);
            mi = FlushToZero.Apply(mi, minNormal);
            vi = FlushToZero.Apply(vi, minNormal);
            m[i] = mi;
            v[i] = vi;
            T t = value[i] * scale + stepScale * (mi / (T.Sqrt(vi * inverseCorrection2) + eps));
            value[i] = t;
            maxValue = T.Max(maxValue, T.Abs(t));
            maxState = T.Max(maxState, T.Abs(mi));
            bad |= !T.IsFinite(t) || !T.IsFinite(mi) || T.IsNaN(vi);
        }
    }
}
