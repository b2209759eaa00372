using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The one-row product of a single sample: <c>C[0, j] = alpha * dot(x, B[:, j]) + beta * C[0, j]</c> with
/// <c>x = op(A)</c>'s row (contiguous) and B's columns contiguous. Packing B would copy every weight for a single use,
/// so B is read in place, <see cref="Group"/> columns per pass over x (x's loads are shared by the group).
/// </summary>
/// <remarks>
/// Runs on the calling thread: a one-row product is bound by the bandwidth at which one core reads B (see
/// docs/benchmarks.md for the two-thread split that was measured and not kept). Every column's sum takes the same
/// operations whether it is computed in a group of four or alone, so a column's bits do not depend on n.
/// </remarks>
internal static unsafe class RowGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns per pass over x: 4 columns x 2 accumulators = 8 independent FMA chains.</summary>
    internal const int Group = 4;

    /// <summary>Computes the product (the caller pins the storage); <paramref name="path"/> <c>Portable</c> or a
    /// CPU without AVX2+FMA takes one <c>TensorPrimitives.Dot</c> per column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(T* x, T* b, int ldb, T* c, int ldc, int k, int n, T alpha, T beta, GemmPath path)
    {
        bool vector = path != GemmPath.Portable && Avx2.IsSupported && Fma.IsSupported;
        int j = 0;
        if (vector)
        {
            for (; j + Group <= n; j += Group)
            {
                DotFour(x, b + (long)j * ldb, ldb, k, out T d0, out T d1, out T d2, out T d3);
                Store(c + (long)j * ldc, d0, alpha, beta);
                Store(c + (long)(j + 1) * ldc, d1, alpha, beta);
                Store(c + (long)(j + 2) * ldc, d2, alpha, beta);
                Store(c + (long)(j + 3) * ldc, d3, alpha, beta);
            }
        }

        for (; j < n; j++)
        {
            T dot = vector
                ? DotOne(x, b + (long)j * ldb, k)
                : TensorPrimitives.Dot(new ReadOnlySpan<T>(x, k), new ReadOnlySpan<T>(b + (long)j * ldb, k));
            Store(c + (long)j * ldc, dot, alpha, beta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* cj, T dot, T alpha, T beta) =>
        *cj = T.IsZero(beta) ? alpha * dot : alpha * dot + beta * *cj;

    /// <summary>
    /// Four dot products <c>dot(x, w_q)</c>, <c>w_q = w + q * ldw</c>. Each sum: two vector accumulators over
    /// steps of two vectors, one more vector step into the first, <c>Sum(acc0 + acc1)</c>, then the scalar tail in
    /// order: exactly the operations of <see cref="DotOne"/>, so a column's bits do not depend on its group.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotFour(T* x, T* w, int ldw, int k, out T d0, out T d1, out T d2, out T d3)
    {
        int v = Vector256<T>.Count;
        T* w0 = w, w1 = w + ldw, w2 = w + 2L * ldw, w3 = w + 3L * ldw;
        Vector256<T> a0 = Vector256<T>.Zero, b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int i = 0;
        for (; i + 2 * v <= k; i += 2 * v)
        {
            Vector256<T> xa = Vector256.Load(x + i), xb = Vector256.Load(x + i + v);
            a0 = MultiplyAdd(xa, Vector256.Load(w0 + i), a0);
            b0 = MultiplyAdd(xb, Vector256.Load(w0 + i + v), b0);
            a1 = MultiplyAdd(xa, Vector256.Load(w1 + i), a1);
            b1 = MultiplyAdd(xb, Vector256.Load(w1 + i + v), b1);
            a2 = MultiplyAdd(xa, Vector256.Load(w2 + i), a2);
            b2 = MultiplyAdd(xb, Vector256.Load(w2 + i + v), b2);
            a3 = MultiplyAdd(xa, Vector256.Load(w3 + i), a3);
            b3 = MultiplyAdd(xb, Vector256.Load(w3 + i + v), b3);
        }

        if (i + v <= k)
        {
            Vector256<T> xa = Vector256.Load(x + i);
            a0 = MultiplyAdd(xa, Vector256.Load(w0 + i), a0);
            a1 = MultiplyAdd(xa, Vector256.Load(w1 + i), a1);
            a2 = MultiplyAdd(xa, Vector256.Load(w2 + i), a2);
            a3 = MultiplyAdd(xa, Vector256.Load(w3 + i), a3);
            i += v;
        }

        d0 = Vector256.Sum(a0 + b0);
        d1 = Vector256.Sum(a1 + b1);
        d2 = Vector256.Sum(a2 + b2);
        d3 = Vector256.Sum(a3 + b3);
        for (; i < k; i++)
        {
            T xi = x[i];
            d0 += xi * w0[i];
            d1 += xi * w1[i];
            d2 += xi * w2[i];
            d3 += xi * w3[i];
        }
    }

    /// <summary>One dot product with the operations of <see cref="DotFour"/> for a single column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T DotOne(T* x, T* w, int k)
    {
        int v = Vector256<T>.Count;
        Vector256<T> a0 = Vector256<T>.Zero, b0 = a0;
        int i = 0;
        for (; i + 2 * v <= k; i += 2 * v)
        {
            a0 = MultiplyAdd(Vector256.Load(x + i), Vector256.Load(w + i), a0);
            b0 = MultiplyAdd(Vector256.Load(x + i + v), Vector256.Load(w + i + v), b0);
        }

        if (i + v <= k)
        {
            a0 = MultiplyAdd(Vector256.Load(x + i), Vector256.Load(w + i), a0);
            i += v;
        }

        T d0 = Vector256.Sum(a0 + b0);
        for (; i < k; i++)
        {
            d0 += x[i] * w[i];
        }

        return d0;
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
