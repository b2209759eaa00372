using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Flush to zero for optimiser state: a value whose magnitude is below the smallest normal number becomes a zero of its
/// sign; NaN, infinities, zeros and normal values pass unchanged. State that decays geometrically once a gradient stops
/// (Adam's moments, a momentum velocity, RMSprop's mean square) would otherwise reach the subnormal range and stay
/// there for ever (<c>β · x</c> rounds back to <c>x</c> for the smallest subnormals), and every multiply with a
/// subnormal operand takes a microcode assist on Intel cores, on every later step. The same operation on 512-bit lanes,
/// <see cref="Vector{T}"/> lanes and scalars, so the bits do not depend on the path.
/// </summary>
internal static class FlushToZero
{
    /// <summary>The smallest positive normal <typeparamref name="T"/>: 2^-126 for float, 2^-1022 for double.</summary>
    public static T MinNormal<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1.17549435E-38f) : T.CreateTruncating(2.2250738585072014E-308);

    /// <summary><c>|x| &lt; minNormal ? ±0 : x</c>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Apply<T>(Vector512<T> x, Vector512<T> minNormal) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), minNormal), x & Vector512.Create(-T.Zero), x);

    /// <summary><c>|x| &lt; minNormal ? ±0 : x</c>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Apply<T>(Vector<T> x, Vector<T> minNormal) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), minNormal), x & new Vector<T>(-T.Zero), x);

    /// <summary><c>|x| &lt; minNormal ? ±0 : x</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x, T minNormal) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Abs(x) < minNormal ? T.CopySign(T.Zero, x) : x;
}
