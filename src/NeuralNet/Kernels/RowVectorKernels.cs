using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The dense layer of one sample, bias and rectifier fused: <c>z[j] = f(dot(x, W[:, j]) + b[j])</c>, <c>x</c> of length
/// <c>k</c>, <c>W</c> <c>[k x n]</c> column-major (column <c>j</c> is the contiguous span <c>W[j*k .. j*k+k)</c>, read in
/// place, never packed), <c>f</c> the identity or <c>max(0, ·)</c>.
/// </summary>
/// <remarks>
/// <para>A single sample reads every weight once, so it is bound by how fast one core streams W from its L2. With
/// AVX-512 the columns are taken one after the other, which reads W front to back as one sequential stream; each
/// column's sum is one chain of 512-bit FMAs, and consecutive columns' chains overlap in the out-of-order window
/// (interleaving four or eight columns, as <see cref="RowGemm{T}"/> does, reads four or eight streams 3 KB apart,
/// which measured about 8% slower on the reference network: see docs/benchmarks.md).</para>
/// <para>Every dot product takes exactly the operations of <see cref="RowGemm{T}"/>, the one-row product of
/// <see cref="Gemm.Multiply{T}"/>: its two 256-bit accumulators over steps of two vectors are the low and high halves of
/// the one 512-bit accumulator here (each lane sees the same FMAs in the same order), then at most one more 256-bit step
/// into the low half, <c>Sum(low + high)</c> and the scalar tail in order; then <c>+ b[j]</c> and
/// <c>max(·, 0)</c> with <c>TensorPrimitives.Max</c>'s IEEE semantics (NaN stays NaN). So the result is bit-identical to
/// the dense layer's batch inference on one row (the product, the bias add, the activation), on every path; without
/// AVX-512 this class runs that path itself.</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal static unsafe class RowVectorKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>512 where the 512-bit kernel runs (float or double, AVX-512F and FMA), else 0: the dense layer's batch
    /// path on one row (<see cref="Gemm.Multiply{T}"/>, then the bias add and the rectifier).</summary>
    internal static readonly int Width =
        (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && Avx512F.IsSupported && Fma.IsSupported ? 512 : 0;

    /// <summary>Computes <c>z = f(x · W + b)</c> for one sample.</summary>
    /// <param name="x">The sample, length k.</param>
    /// <param name="w">W, <c>[k x n]</c> column-major (leading dimension k).</param>
    /// <param name="bias">b, length n.</param>
    /// <param name="z">Destination, length at least n; must not overlap <paramref name="x"/>.</param>
    /// <param name="rectify">Whether <c>f = max(0, ·)</c> (ReLU); the identity otherwise.</param>
    /// <exception cref="ArgumentException"><paramref name="w"/> or <paramref name="z"/> is too short.</exception>
    public static void Affine(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, bool rectify) =>
        Affine(x, w, bias, z, rectify, Width);

    /// <summary><see cref="Affine(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, bool)"/> with the 512-bit
    /// kernel (<paramref name="width"/> 512, only where <see cref="Width"/> is) or the batch path (0); tests compare
    /// the two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Affine(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, bool rectify, int width)
    {
        int k = x.Length, n = bias.Length;
        if ((long)n * k > w.Length || z.Length < n)
        {
            throw new ArgumentException($"W holds {w.Length} values and z {z.Length}; a {k} x {n} layer needs {(long)n * k} and {n}.", nameof(w));
        }

        if (width != 512)
        {
            // The dense layer's path for a batch of one: the one-row product, the bias add, the rectifier.
            Span<T> row = z[..n];
            Gemm.Multiply(false, false, 1, n, k, T.One, x, 1, w, k, T.Zero, row, 1);
            TensorPrimitives.Add(row, bias, row);
            if (rectify)
            {
                TensorPrimitives.Max(row, T.Zero, row);
            }

            return;
        }

        fixed (T* px = x, pw = w, pb = bias, pz = z)
        {
            T* column = pw;
            for (int j = 0; j < n; j++, column += k)
            {
                T v = Dot(px, column, k) + pb[j];
                pz[j] = rectify ? T.Max(v, T.Zero) : v;
            }
        }
    }

    /// <summary>
    /// <c>dot(x, w)</c> with RowGemm's operations: one 512-bit chain over the whole 512-bit steps (unrolled four times,
    /// the order unchanged), at most one 256-bit step into the low half, <c>Sum(low + high)</c>, the scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot(T* x, T* w, int k)
    {
        int v = Vector512<T>.Count;
        Vector512<T> acc = Vector512<T>.Zero;
        int i = 0;
        for (; i + 4 * v <= k; i += 4 * v)
        {
            acc = MultiplyAdd(Vector512.Load(x + i), Vector512.Load(w + i), acc);
            acc = MultiplyAdd(Vector512.Load(x + i + v), Vector512.Load(w + i + v), acc);
            acc = MultiplyAdd(Vector512.Load(x + i + 2 * v), Vector512.Load(w + i + 2 * v), acc);
            acc = MultiplyAdd(Vector512.Load(x + i + 3 * v), Vector512.Load(w + i + 3 * v), acc);
        }

        for (; i + v <= k; i += v)
        {
            acc = MultiplyAdd(Vector512.Load(x + i), Vector512.Load(w + i), acc);
        }

        Vector256<T> low = acc.GetLower(), high = acc.GetUpper();
        if (i + Vector256<T>.Count <= k)
        {
            low = MultiplyAdd(Vector256.Load(x + i), Vector256.Load(w + i), low);
            i += Vector256<T>.Count;
        }

        T d = Vector256.Sum(low + high);
        for (; i < k; i++)
        {
            d += x[i] * w[i];
        }

        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
