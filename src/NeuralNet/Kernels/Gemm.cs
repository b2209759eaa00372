using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// General matrix multiply on column-major storage, BLAS conventions:
/// <c>C = alpha * op(A) * op(B) + beta * C</c>, where <c>op(A)</c> is <c>m x k</c>, <c>op(B)</c> is <c>k x n</c>
/// and <c>C</c> is <c>m x n</c>. Element <c>(i, j)</c> of a column-major matrix with leading dimension
/// <c>ld</c> sits at index <c>i + j * ld</c>.
/// </summary>
/// <remarks>
/// Packed, cache-blocked, register-tiled and multi-threaded (see <see cref="MaxDegreeOfParallelism"/>): an AVX2+FMA
/// micro-kernel on x64, an opt-in AVX-512 one (<see cref="EnableAvx512"/>), and a portable <c>Vector128</c> one
/// elsewhere (ARM64, older x64). Packing buffers are kept per thread, so after the first call of a given size a
/// product allocates nothing.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes <c>C = alpha * op(A) * op(B) + beta * C</c> on column-major spans.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/> (other IEEE types such as <see cref="Half"/>
    /// take the plain reference loop).</typeparam>
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

        MultiplyCore(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmPath.Auto, MaxDegreeOfParallelism);
    }

    /// <summary>
    /// Threads a single product may use (default: <see cref="Environment.ProcessorCount"/>). Results do not depend on
    /// it: every element of C is computed by one thread with the same order of additions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => s_maxDegreeOfParallelism;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxDegreeOfParallelism must be at least 1. Received: {value}");
            }

            s_maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// Whether the AVX-512 micro-kernel may be used on CPUs that support AVX-512F (on by default; without AVX-512F the
    /// AVX2 kernel runs whatever this says). The environment variable <c>NEURALNET_GEMM_AVX512=0</c> turns it off at
    /// start-up. Both kernels accumulate every element of C in the same depth order, so they give the same bits.
    /// </summary>
    public static bool EnableAvx512 { get; set; } = Environment.GetEnvironmentVariable("NEURALNET_GEMM_AVX512") != "0";

    /// <summary>The micro-kernel <see cref="Multiply{T}"/> uses on this machine for <typeparamref name="T"/>,
    /// e.g. <c>avx2-fma 16x6</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public static string KernelName<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmPath path = Resolve(GemmPath.Auto);
        if (path == GemmPath.Portable && !Vector128.IsHardwareAccelerated)
        {
            return "scalar";
        }

        (int mr, int nr) = PackedGemm<T>.Geometry(path);
        string name = path switch
        {
            GemmPath.Avx512 => "avx512f",
            GemmPath.Avx2 => "avx2-fma",
            _ => "vector128",
        };
        return $"{name} {mr}x{nr}";
    }

    private static int s_maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// Benchmarks only: one-row products take the earlier paths (the reference loop up to <see cref="SmallProduct"/>,
    /// else one <c>TensorPrimitives.Dot</c> per column on one thread) instead of <see cref="RowGemm{T}"/>, so both
    /// can be timed in the same run.
    /// </summary>
    internal static bool RowProductDotLoop { get; set; }

    /// <summary>Products with at most this many multiply-adds run the reference loop (packing would dominate).</summary>
    internal const long SmallProduct = 4096;

    internal static GemmPath Resolve(GemmPath path)
    {
        if (path == GemmPath.Auto)
        {
            path = EnableAvx512 && Avx512F.IsSupported ? GemmPath.Avx512
                : Avx2.IsSupported && Fma.IsSupported ? GemmPath.Avx2
                : GemmPath.Portable;
        }

        return path;
    }

    /// <summary>
    /// <see cref="Multiply{T}"/> without validation, with the micro-kernel and thread count chosen by the caller
    /// (tests use it to run the portable path and to compare thread counts), and an optional
    /// <paramref name="epilogue"/> applied to C once it is final: by each thread to its own block in a split product,
    /// over the whole of C after the product otherwise, with the same bits either way.
    /// </summary>
    internal static unsafe void MultiplyCore<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, GemmPath path, int threads, GemmEpilogue<T> epilogue = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        path = Resolve(path);
        if (!PackedPath(transposeA, transposeB, m, n, k, alpha, lda, path))
        {
            UnpackedProduct(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, path);
            if (!epilogue.IsEmpty)
            {
                fixed (T* pc = c)
                {
                    epilogue.Apply(pc, ldc, 0, m, 0, n);
                }
            }

            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var job = new PackedGemm<T>.Job
            {
                A = pa, B = pb, C = pc, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc,
                TransposeA = transposeA, TransposeB = transposeB, Alpha = alpha, Beta = beta, Path = path,
                Epilogue = epilogue,
            };
            ParallelGemm<T>.Run(in job, threads);
        }
    }

    /// <summary>Whether <see cref="MultiplyCore{T}"/> packs the product (and may split it over threads): a type with
    /// vector kernels, not a single sample's row, not a tiny product, more than one column. The others take
    /// <see cref="UnpackedProduct{T}"/>.</summary>
    private static bool PackedPath<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, int lda, GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorKernels(k, alpha, path) && !OneRow(transposeA, transposeB, m, lda) && (long)m * n * k > SmallProduct && n != 1;

    /// <summary>Float or double with a depth, a nonzero alpha, and vector hardware for the path.</summary>
    private static bool VectorKernels<T>(int k, T alpha, GemmPath path) where T : unmanaged, IFloatingPointIeee754<T> =>
        (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && k != 0 && !T.IsZero(alpha)
        && !(path == GemmPath.Portable && !Vector128.IsHardwareAccelerated);

    /// <summary>One row of op(A) stored contiguously: a single sample through a layer.</summary>
    private static bool OneRow(bool transposeA, bool transposeB, int m, int lda) => m == 1 && !transposeB && (transposeA || lda == 1);

    /// <summary>The products <see cref="PackedPath{T}"/> turns away.</summary>
    private static void UnpackedProduct<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (VectorKernels(k, alpha, path) && OneRow(transposeA, transposeB, m, lda))
        {
            // One row (a single sample), small products included: the reference loop would make one length-1 axpy
            // call per multiply-add. C[0, j] = alpha * dot(op(A) row, B[:, j]) + beta * C[0, j]; packing B would
            // copy every weight once for a single use.
            if (RowProductDotLoop && (long)n * k <= SmallProduct)
            {
                ReferenceGemm.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                return;
            }

            MultiplyRow(a, b, ldb, c, ldc, k, n, alpha, beta, path);
            return;
        }

        // Everything else: the reference loop (tiny products, where packing would dominate; one column, e.g. a
        // single-output layer, where a packed 6-column panel would be five-sixths zeros; other types; k = 0; alpha = 0).
        ReferenceGemm.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static unsafe void MultiplyRow<T>(
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int k, int n, T alpha, T beta, GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (RowProductDotLoop)
        {
            ReadOnlySpan<T> row = a[..k];
            for (int j = 0; j < n; j++)
            {
                T dot = alpha * TensorPrimitives.Dot(row, b.Slice(j * ldb, k));
                ref T cj = ref c[j * ldc];
                cj = T.IsZero(beta) ? dot : dot + beta * cj;
            }

            return;
        }

        fixed (T* px = a, pb = b, pc = c)
        {
            RowGemm<T>.Run(px, pb, ldb, pc, ldc, k, n, alpha, beta, path);
        }
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
