using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Optimizers;

/// <summary>
/// SGD's update over the flat parameters, <c>θ ← g · (-η) + θ</c>, a multiply then an add (as
/// <c>TensorPrimitives.MultiplyAdd</c> computes it, never fused): 512-bit lanes where the CPU has them, else
/// <see cref="Vector{T}"/> lanes, then a scalar tail, so every element gets the same bits on any path and thread.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class SgdStepWork<T> : FlatStepWork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T _minusRate;

    /// <summary>Sets <c>-η</c> for the next step.</summary>
    public void Set(T minusRate) => _minusRate = minusRate;

    /// <inheritdoc />
    protected override void Update(int p, int start, int end, ref T maxValue, ref T maxState, ref bool bad)
    {
        int length = end - start;
        Span<T> value = Parameters[p].Value.Slice(start, length);
        ReadOnlySpan<T> gradient = Parameters[p].Gradient.Slice(start, length);
        T minusRate = _minusRate;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            Span<Vector512<T>> vValue = MemoryMarshal.Cast<T, Vector512<T>>(value);
            ReadOnlySpan<Vector512<T>> vGradient = MemoryMarshal.Cast<T, Vector512<T>>(gradient);
            Vector512<T> vRate = Vector512.Create(minusRate), maxV = Vector512<T>.Zero, badLanes = Vector512<T>.Zero;
            for (int k = 0; k < vValue.Length; k++)
            {
                Vector512<T> t = vGradient[k] * vRate + vValue[k];
                vValue[k] = t;
                maxV = Vector512.MaxNative(maxV, Vector512.Abs(t));
                badLanes |= ~Vector512.Equals(t - t, Vector512<T>.Zero);
            }

            for (int l = 0; l < Vector512<T>.Count; l++)
            {
                maxValue = T.Max(maxValue, maxV[l]);
            }

            bad |= badLanes != Vector512<T>.Zero;
            i = vValue.Length * Vector512<T>.Count;
        }
        else if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value);
            ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            Vector<T> vRate = new(minusRate), maxV = Vector<T>.Zero, badLanes = Vector<T>.Zero;
            for (int k = 0; k < vValue.Length; k++)
            {
                Vector<T> t = vGradient[k] * vRate + vValue[k];
                vValue[k] = t;
                maxV = Vector.MaxNative(maxV, Vector.Abs(t));
                badLanes |= ~Vector.Equals(t - t, Vector<T>.Zero);
            }

            for (int l = 0; l < Vector<T>.Count; l++)
            {
                maxValue = T.Max(maxValue, maxV[l]);
            }

            bad |= badLanes != Vector<T>.Zero;
            i = vValue.Length * Vector<T>.Count;
        }

        for (; i < value.Length; i++)
        {
            // θ = g · (-η) + θ
            T t = gradient[i] * minusRate + value[i];
            value[i] = t;
            maxValue = T.Max(maxValue, T.Abs(t));
            bad |= !T.IsFinite(t);
        }
    }
}
