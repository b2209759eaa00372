using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Momentum's update in the Sutskever form over the flat parameters (see <see cref="Momentum"/>):
/// <c>v ← μ v - η g</c>, <c>θ ← θ + (l v - d g)</c> with <c>(l, d) = (1, 0)</c>, or <c>(μ, η)</c> for Nesterov.
/// 512-bit lanes where the CPU has them, else <see cref="Vector{T}"/> lanes, then a scalar tail, each with the same
/// operations in the same order (no fused multiply-add), so the bits do not depend on the path or the thread. A
/// velocity below the smallest normal number is stored as a zero of its sign (<see cref="FlushToZero"/>): once a
/// gradient stops, <c>v ← μ v</c> would otherwise stay subnormal for ever and cost a microcode assist per step.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class MomentumStepWork<T> : FlatStepWork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Array[] _slots = [];
    private T _mu, _rate, _look, _direct;

    /// <summary>Sets the velocities (slot 0 of each parameter) and the step's scalars.</summary>
    public void Set(Array[] slots, T mu, T rate, T look, T direct)
    {
        _slots = slots;
        (_mu, _rate, _look, _direct) = (mu, rate, look, direct);
    }

    /// <inheritdoc />
    protected override void Update(int p, int start, int end, ref T maxValue, ref T maxState, ref bool bad)
    {
        int length = end - start;
        Span<T> value = Parameters[p].Value.Slice(start, length), velocity = ((T[])_slots[p]).AsSpan(start, length);
        ReadOnlySpan<T> gradient = Parameters[p].Gradient.Slice(start, length);
        T mu = _mu, rate = _rate, look = _look, direct = _direct, minNormal = FlushToZero.MinNormal<T>();
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            Span<Vector512<T>> vValue = MemoryMarshal.Cast<T, Vector512<T>>(value), vVelocity = MemoryMarshal.Cast<T, Vector512<T>>(velocity);
            ReadOnlySpan<Vector512<T>> vGradient = MemoryMarshal.Cast<T, Vector512<T>>(gradient);
            Vector512<T> vMu = Vector512.Create(mu), vRate = Vector512.Create(rate), vLook = Vector512.Create(look), vDirect = Vector512.Create(direct);
            Vector512<T> vMinNormal = Vector512.Create(minNormal);
            Vector512<T> maxV = Vector512<T>.Zero, maxS = Vector512<T>.Zero, badLanes = Vector512<T>.Zero;
            for (int k = 0; k < vValue.Length; k++)
            {
                Vector512<T> g = vGradient[k];
                Vector512<T> v = FlushToZero.Apply(vMu * vVelocity[k] - vRate * g, vMinNormal);
                vVelocity[k] = v;
                Vector512<T> t = vValue[k] + (vLook * v - vDirect * g);
                vValue[k] = t;
                maxV = Vector512.MaxNative(maxV, Vector512.Abs(t));
                maxS = Vector512.MaxNative(maxS, Vector512.Abs(v));
                badLanes |= ~Vector512.Equals(t - t, Vector512<T>.Zero) | ~Vector512.Equals(v - v, Vector512<T>.Zero);
            }

            for (int l = 0; l < Vector512<T>.Count; l++)
            {
                maxValue = T.Max(maxValue, maxV[l]);
                maxState = T.Max(maxState, maxS[l]);
            }

            bad |= badLanes != Vector512<T>.Zero;
            i = vValue.Length * Vector512<T>.Count;
        }
        else if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value), vVelocity = MemoryMarshal.Cast<T, Vector<T>>(velocity);
            ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            Vector<T> vMu = new(mu), vRate = new(rate), vLook = new(look), vDirect = new(direct), vMinNormal = new(minNormal);
            Vector<T> maxV = Vector<T>.Zero, maxS = Vector<T>.Zero, badLanes = Vector<T>.Zero;
            for (int k = 0; k < vValue.Length; k++)
            {
                Vector<T> g = vGradient[k];
                Vector<T> v = FlushToZero.Apply(vMu * vVelocity[k] - vRate * g, vMinNormal);
                vVelocity[k] = v;
                Vector<T> t = vValue[k] + (vLook * v - vDirect * g);
                vValue[k] = t;
                maxV = Vector.MaxNative(maxV, Vector.Abs(t));
                maxS = Vector.MaxNative(maxS, Vector.Abs(v));
                badLanes |= ~Vector.Equals(t - t, Vector<T>.Zero) | ~Vector.Equals(v - v, Vector<T>.Zero);
            }

            for (int l = 0; l < Vector<T>.Count; l++)
            {
                maxValue = T.Max(maxValue, maxV[l]);
                maxState = T.Max(maxState, maxS[l]);
            }

            bad |= badLanes != Vector<T>.Zero;
            i = vValue.Length * Vector<T>.Count;
        }

        for (; i < value.Length; i++)
        {
            // v = μ v - η g;  θ = θ + (l v - d g)
            T g = gradient[i];
            T v = FlushToZero.Apply(mu * velocity[i] - rate * g, minNormal);
            velocity[i] = v;
            T t = value[i] + (look * v - direct * g);
            value[i] = t;
            maxValue = T.Max(maxValue, T.Abs(t));
            maxState = T.Max(maxState, T.Abs(v));
            bad |= !T.IsFinite(t) || !T.IsFinite(v);
        }
    }
}
