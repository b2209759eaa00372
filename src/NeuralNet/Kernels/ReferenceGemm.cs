using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Kernels;

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
