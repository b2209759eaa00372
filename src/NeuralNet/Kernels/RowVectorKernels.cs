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
/// <para>A single sample reads every weight once, so it is bound by how fast one core reads W from its L2. With AVX-512
/// each pass over x takes <see cref="Group"/> columns, one 512-bit FMA chain per column. Measured on the reference
/// network against the four-column 256-bit <see cref="RowGemm{T}"/> (docs/benchmarks.md): 10-20% faster in float, a
/// few percent in double (whose 1.9 MB of weights do not fit in L2). One column at a time (a single sequential stream,
/// consecutive chains overlapping out of order) was 10% slower than RowGemm on the loaded machine, though ahead in
/// quiet moments.</para>
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
    /// <summary>Columns per pass over x: eight independent FMA chains cover two pipes of four-cycle latency, and each
    /// 64-byte load of x serves eight columns.</summary>
    internal const int Group = 8;

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
            int j = 0;
            for (; j + Group <= n; j += Group, column += Group * (long)k)
            {
                DotEight(px, column, k, pb + j, pz + j, rectify);
            }

            for (; j < n; j++, column += k)
            {
                pz[j] = DotOne(px, column, k, pb[j], rectify);
            }
        }
    }

    /// <summary>
    /// Columns <c>w + q*k</c>, <c>q = 0..7</c>, one 512-bit chain each over the 512-bit steps (RowGemm's two 256-bit
    /// accumulators side by side), two steps per trip without changing any chain's order; then <see cref="Finish"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotEight(T* x, T* w, int k, T* b, T* z, bool rectify)
    {
        int v = Vector512<T>.Count;
        T* w0 = w, w1 = w + k, w2 = w + 2L * k, w3 = w + 3L * k, w4 = w + 4L * k, w5 = w + 5L * k, w6 = w + 6L * k, w7 = w + 7L * k;
        Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int i = 0;
        for (; i + 2 * v <= k; i += 2 * v)
        {
            // Two consecutive vectors (128 bytes, two cache lines) of one column, then the next column: each of the
            // eight streams is read in pairs of lines, about 4% faster than one vector per column in turn.
            Vector512<T> xa = Vector512.Load(x + i), xb = Vector512.Load(x + i + v);
            a0 = MultiplyAdd(xa, Vector512.Load(w0 + i), a0);
            a0 = MultiplyAdd(xb, Vector512.Load(w0 + i + v), a0);
            a1 = MultiplyAdd(xa, Vector512.Load(w1 + i), a1);
            a1 = MultiplyAdd(xb, Vector512.Load(w1 + i + v), a1);
            a2 = MultiplyAdd(xa, Vector512.Load(w2 + i), a2);
            a2 = MultiplyAdd(xb, Vector512.Load(w2 + i + v), a2);
            a3 = MultiplyAdd(xa, Vector512.Load(w3 + i), a3);
            a3 = MultiplyAdd(xb, Vector512.Load(w3 + i + v), a3);
            a4 = MultiplyAdd(xa, Vector512.Load(w4 + i), a4);
            a4 = MultiplyAdd(xb, Vector512.Load(w4 + i + v), a4);
            a5 = MultiplyAdd(xa, Vector512.Load(w5 + i), a5);
            a5 = MultiplyAdd(xb, Vector512.Load(w5 + i + v), a5);
            a6 = MultiplyAdd(xa, Vector512.Load(w6 + i), a6);
            a6 = MultiplyAdd(xb, Vector512.Load(w6 + i + v), a6);
            a7 = MultiplyAdd(xa, Vector512.Load(w7 + i), a7);
            a7 = MultiplyAdd(xb, Vector512.Load(w7 + i + v), a7);
        }

        for (; i + v <= k; i += v)
        {
            Vector512<T> xa = Vector512.Load(x + i);
            a0 = MultiplyAdd(xa, Vector512.Load(w0 + i), a0);
            a1 = MultiplyAdd(xa, Vector512.Load(w1 + i), a1);
            a2 = MultiplyAdd(xa, Vector512.Load(w2 + i), a2);
            a3 = MultiplyAdd(xa, Vector512.Load(w3 + i), a3);
            a4 = MultiplyAdd(xa, Vector512.Load(w4 + i), a4);
            a5 = MultiplyAdd(xa, Vector512.Load(w5 + i), a5);
            a6 = MultiplyAdd(xa, Vector512.Load(w6 + i), a6);
            a7 = MultiplyAdd(xa, Vector512.Load(w7 + i), a7);
        }

        z[0] = Finish(x, w0, k, i, a0, b[0], rectify);
        z[1] = Finish(x, w1, k, i, a1, b[1], rectify);
        z[2] = Finish(x, w2, k, i, a2, b[2], rectify);
        z[3] = Finish(x, w3, k, i, a3, b[3], rectify);
        z[4] = Finish(x, w4, k, i, a4, b[4], rectify);
        z[5] = Finish(x, w5, k, i, a5, b[5], rectify);
        z[6] = Finish(x, w6, k, i, a6, b[6], rectify);
        z[7] = Finish(x, w7, k, i, a7, b[7], rectify);
    }

    /// <summary>
    /// The rest of one column from depth <paramref name="i"/> (past the whole 512-bit steps): at most one 256-bit step
    /// into the low half (RowGemm's first accumulator), <c>Sum(low + high)</c>, the scalar tail in order, then
    /// <c>+ b</c> and <c>max(·, 0)</c> with IEEE semantics as <c>TensorPrimitives.Max</c> (NaN stays NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Finish(T* x, T* w, int k, int i, Vector512<T> acc, T b, bool rectify)
    {
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

        T v = d + b;
        return rectify ? T.Max(v, T.Zero) : v;
    }

    /// <summary>One column alone, with <see cref="DotEight"/>'s operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T DotOne(T* x, T* w, int k, T b, bool rectify)
    {
        int v = Vector512<T>.Count;
        Vector512<T> acc = Vector512<T>.Zero;
        int i = 0;
        for (; i + v <= k; i += v)
        {
            acc = MultiplyAdd(Vector512.Load(x + i), Vector512.Load(w + i), acc);
        }

        return Finish(x, w, k, i, acc, b, rectify);
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
