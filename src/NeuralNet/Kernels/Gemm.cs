using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Kernels;

/// <summary>
/// General matrix multiply on column-major storage, BLAS conventions:
/// <c>C = alpha * op(A) * op(B) + beta * C</c>, where <c>op(A)</c> is <c>m x k</c>, <c>op(B)</c> is <c>k x n</c>
/// and <c>C</c> is <c>m x n</c>. Element <c>(i, j)</c> of a column-major matrix with leading dimension
/// <c>ld</c> sits at index <c>i + j * ld</c>.
/// </summary>
public static class Gemm
{
    /// <summary>Computes <c>C = alpha * op(A) * op(B) + beta * C</c> on column-major spans.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="transposeA">Whether <c>op(A) = A^T</c> (then A is stored <c>k x m</c>).</param>
    /// <param name="transposeB">Whether <c>op(B) = B^T</c> (then B is stored <c>n x k</c>).</param>
    /// <param name="m">Rows of <c>op(A)</c> and of C.</param>
    /// <param name="n">Columns of <c>op(B)</c> and of C.</param>
    /// <param name="k">Columns of <c>op(A)</c>, rows of <c>op(B)</c>.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Storage of A.</param>
    /// <param name="lda">Leading dimension of A (at least its stored row count).</param>
    /// <param name="b">Storage of B.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="beta">Scale of the previous C; when zero, C is not read (NaN in C does not propagate).</param>
    /// <param name="c">Storage of C.</param>
    /// <param name="ldc">Leading dimension of C (at least m).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or a leading dimension too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for the dimensions given.</exception>
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        ReferenceGemm.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    internal static void Validate(bool transposeA, bool transposeB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, $"m must be non-negative. Received: m={m}");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be non-negative. Received: n={n}");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be non-negative. Received: k={k}");
        int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
        int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
        CheckOperand(nameof(lda), lda, aRows, aCols, aLength, "a");
        CheckOperand(nameof(ldb), ldb, bRows, bCols, bLength, "b");
        CheckOperand(nameof(ldc), ldc, m, n, cLength, "c");
    }

    private static void CheckOperand(string ldName, int ld, int rows, int cols, int length, string name)
    {
        if (ld < Math.Max(1, rows))
        {
            throw new ArgumentOutOfRangeException(ldName, ld, $"{ldName} must be at least max(1, {rows}) for a stored {rows}x{cols} matrix. Received: {ldName}={ld}");
        }

        long needed = cols == 0 || rows == 0 ? 0 : (long)(cols - 1) * ld + rows;
        if (length < needed)
        {
            throw new ArgumentException($"{name} holds {length} elements but a {rows}x{cols} matrix with leading dimension {ld} needs {needed}.", name);
        }
    }
}

/// <summary>Straightforward column-major GEMM: the correctness oracle and the fallback for tiny products.</summary>
internal static class ReferenceGemm
{
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++)
        {
            Span<T> cj = c.Slice(j * ldc, m);
            if (T.IsZero(beta))
            {
                cj.Clear();
            }
            else if (beta != T.One)
            {
                TensorPrimitives.Multiply(cj, beta, cj);
            }

            if (k == 0 || T.IsZero(alpha))
            {
                continue;
            }

            if (!transposeA)
            {
                // C[:, j] += sum_p (alpha * op(B)[p, j]) * A[:, p]: axpy over contiguous columns of A.
                for (int p = 0; p < k; p++)
                {
                    T bpj = alpha * (transposeB ? b[j + p * ldb] : b[p + j * ldb]);
                    if (!T.IsZero(bpj))
                    {
                        TensorPrimitives.MultiplyAdd(a.Slice(p * lda, m), bpj, cj, cj);
                    }
                }
            }
            else
            {
                // C[i, j] += alpha * dot(A[:, i], op(B)[:, j]); A's stored column i is contiguous.
                for (int i = 0; i < m; i++)
                {
                    ReadOnlySpan<T> ai = a.Slice(i * lda, k);
                    T sum = T.Zero;
                    if (!transposeB)
                    {
                        sum = TensorPrimitives.Dot(ai, b.Slice(j * ldb, k));
                    }
                    else
                    {
                        for (int p = 0; p < k; p++)
                        {
                            sum += ai[p] * b[j + p * ldb];
                        }
                    }

                    cj[i] += alpha * sum;
                }
            }
        }
    }
}
