using System.Numerics;
using System.Runtime.Intrinsics.X86;
using NeuralNet.Kernels;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Kernels;

public sealed class GemmTests
{
    /// <summary>The packed micro-kernels this machine can run: always the portable one, AVX2 where supported.</summary>
    /// <remarks>Theory data carries the name: the enum is internal and test methods are public.</remarks>
    private static string[] Paths =>
        Avx2.IsSupported && Fma.IsSupported ? [nameof(GemmPath.Portable), nameof(GemmPath.Avx2)] : [nameof(GemmPath.Portable)];

    // 1x1 and tiny shapes (reference path), primes, shapes straddling MR = 16/8, NR = 6/4, KC = 256 and the
    // 128 KiB A block, single rows (the four-column row kernel, with columns left over) and the three training products of a 784-256 layer.
    private static readonly int[][] Shapes =
    [
        [1, 1, 1], [2, 3, 5], [1, 37, 300], [1, 5, 1000], [7, 11, 13], [17, 19, 23], [31, 37, 300],
        [97, 13, 257], [5, 101, 67], [130, 7, 3], [129, 131, 517], [33, 61, 40], [200, 9, 64],
        [16, 6, 256], [32, 12, 512], [64, 784, 33], [784, 25, 64], [300, 1, 50], [1, 10, 128], [1, 130, 257],
    ];

    public static TheoryData<string, int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<string, int, int, int, bool, bool>();
        foreach (string path in Paths)
        {
            foreach (int[] s in Shapes)
            {
                foreach (bool ta in new[] { false, true })
                {
                    foreach (bool tb in new[] { false, true })
                    {
                        data.Add(path, s[0], s[1], s[2], ta, tb);
                    }
                }
            }
        }

        return data;
    }

    /// <summary>
    /// The AVX-512 kernel's logic (32x12 / 16x12 tiles, packing, edges; B panels of 6 columns, which the 256-bit
    /// kernels' packing handles specially, and of 12, 24 and 25) on every machine: without AVX-512 hardware its
    /// fused multiply-adds run in the runtime's exact software fallback, so this checks the layout, not the speed.
    /// </summary>
    public static TheoryData<int, int, int, bool, bool> Avx512Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (int[] s in new[] { new[] { 7, 11, 13 }, [33, 13, 40], [65, 7, 70], [31, 37, 300], [1, 37, 300] })
        {
            data.Add(s[0], s[1], s[2], false, false);
            data.Add(s[0], s[1], s[2], true, true);
        }

        data.Add(40, 20, 30, true, false);
        data.Add(40, 20, 30, false, true);
        foreach (int[] s in new[] { new[] { 33, 6, 40 }, [40, 12, 30], [65, 24, 70], [33, 25, 17], [50, 30, 300] })
        {
            data.Add(s[0], s[1], s[2], false, false);
            data.Add(s[0], s[1], s[2], true, false);
            data.Add(s[0], s[1], s[2], false, true);
            data.Add(s[0], s[1], s[2], true, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Avx512Cases))]
    public void MultiplyCore_Avx512Kernel_MatchesNaiveLoop(int m, int n, int k, bool transposeA, bool transposeB)
    {
        CheckAgainstNaive<float>(nameof(GemmPath.Avx512), m, n, k, transposeA, transposeB, alpha: 1.5, beta: -1, extraLd: 2, threads: 2, tolerance: 1e-5);
        CheckAgainstNaive<double>(nameof(GemmPath.Avx512), m, n, k, transposeA, transposeB, alpha: 1, beta: 0, extraLd: 0, threads: 1, tolerance: 1e-12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MultiplyCore_Float_MatchesNaiveLoop(string pathName, int m, int n, int k, bool transposeA, bool transposeB) =>
        CheckAgainstNaive<float>(pathName, m, n, k, transposeA, transposeB, alpha: 1, beta: 0, extraLd: 0, threads: 2, tolerance: 1e-5);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MultiplyCore_Double_MatchesNaiveLoop(string pathName, int m, int n, int k, bool transposeA, bool transposeB) =>
        CheckAgainstNaive<double>(pathName, m, n, k, transposeA, transposeB, alpha: 1, beta: 0, extraLd: 0, threads: 2, tolerance: 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MultiplyCore_AlphaBetaAndWideLeadingDimensions_MatchesNaiveLoop(string pathName, int m, int n, int k, bool transposeA, bool transposeB)
    {
        CheckAgainstNaive<float>(pathName, m, n, k, transposeA, transposeB, alpha: -0.75, beta: 1.5, extraLd: 3, threads: 1, tolerance: 1e-5);
        CheckAgainstNaive<double>(pathName, m, n, k, transposeA, transposeB, alpha: 2.5, beta: -0.5, extraLd: 5, threads: 3, tolerance: 1e-12);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Multiply_ReferenceGemm_AgreesWithPublicEntry(bool transposeA, bool transposeB)
    {
        // 150 x 70 x 300 goes through the packed kernel; ReferenceGemm is the straightforward oracle.
        const int m = 150, n = 70, k = 300;
        var random = new Random(11);
        double[] a = RandomArray<double>(random, m * k), b = RandomArray<double>(random, k * n);
        double[] expected = RandomArray<double>(random, m * n);
        double[] actual = (double[])expected.Clone();
        int lda = transposeA ? k : m, ldb = transposeB ? n : k;

        ReferenceGemm.Multiply(transposeA, transposeB, m, n, k, 0.5, a, lda, b, ldb, 2.0, expected, m);
        Gemm.Multiply(transposeA, transposeB, m, n, k, 0.5, a, lda, b, ldb, 2.0, actual, m);

        RelativeError(actual, expected).Should().BeLessThan(1e-12);
    }

    [Theory]
    [MemberData(nameof(PathsData))]
    public void MultiplyCore_BetaZero_IgnoresNaNInC(string pathName)
    {
        // beta = 0 means C is written, never read: 0 * NaN would be NaN, so C must not be scaled.
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        const int m = 40, n = 30, k = 20;
        var random = new Random(5);
        float[] a = RandomArray<float>(random, m * k), b = RandomArray<float>(random, k * n);
        float[] c = new float[m * n], expected = new float[m * n];
        Array.Fill(c, float.NaN);

        Gemm.MultiplyCore(false, false, m, n, k, 1f, a, m, b, k, 0f, c, m, path, 2);
        Naive(false, false, m, n, k, 1.0, a, m, b, k, 0.0, expected, m);

        c.Should().OnlyContain(x => float.IsFinite(x));
        RelativeError(c, expected).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void Multiply_Half_UsesReferenceLoop()
    {
        // Half has no SIMD kernel: 20x20x20 (above the small-product cut) must still be right.
        // A = all 0.5, B = all 0.25: every C element is 20 * 0.5 * 0.25 = 2.5, exact in Half.
        var a = new Half[400];
        var b = new Half[400];
        var c = new Half[400];
        Array.Fill(a, (Half)0.5f);
        Array.Fill(b, (Half)0.25f);
        Gemm.Multiply(false, false, 20, 20, 20, Half.One, a, 20, b, 20, Half.Zero, c, 20);
        c.Should().OnlyContain(x => x == (Half)2.5f);
    }

    [Fact]
    public void Multiply_ZeroDepth_ScalesC()
    {
        // k = 0: op(A) op(B) is an m x n matrix of zeros, so C = beta * C: 2 * [1, -3] = [2, -6].
        double[] c = [1, -3];
        Gemm.Multiply(false, false, 2, 1, 0, 1.0, ReadOnlySpan<double>.Empty, 2, ReadOnlySpan<double>.Empty, 1, 2.0, c, 2);
        c.Should().Equal(2.0, -6.0);
    }

    [Fact]
    public void Multiply_TwoByTwo_HandWorked()
    {
        // A = [1 2; 3 4], B = [5 6; 7 8] (column-major storage below).
        // A*B = [1*5+2*7, 1*6+2*8; 3*5+4*7, 3*6+4*8] = [19 22; 43 50]; alpha = 2, beta = 1, C = [1 1; 1 1]
        // gives [39 45; 87 101], stored column-major as 39, 87, 45, 101.
        float[] a = [1, 3, 2, 4], b = [5, 7, 6, 8], c = [1, 1, 1, 1];
        Gemm.Multiply(false, false, 2, 2, 2, 2f, a, 2, b, 2, 1f, c, 2);
        c.Should().Equal(39f, 87f, 45f, 101f);
    }

    public static TheoryData<string> PathsData()
    {
        var data = new TheoryData<string>();
        foreach (string path in Paths)
        {
            data.Add(path);
        }

        return data;
    }

    /// <summary>Every kernel, the AVX-512 one included (in the software fallback where the CPU lacks it).</summary>
    public static TheoryData<string> AllKernels() => new([.. Paths, nameof(GemmPath.Avx512)]);

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void MultiplyCore_AReadInPlace_SameBitsAsPacked(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var random = new Random(5);
        // [m, n, k, lda]: whole MR-row panels on every path (MR = 8, 16 or 32 floats), k above and below one depth
        // block, a leading dimension wider than m, and 130 rows (a partial panel: packed).
        int[][] shapes = [[128, 256, 784, 128], [64, 30, 100, 80], [256, 13, 300, 256], [130, 40, 50, 144]];
        foreach (int[] s in shapes)
        {
            int m = s[0], n = s[1], k = s[2], lda = s[3];
            foreach (bool transposeB in new[] { false, true })
            {
                // A on a 64-byte boundary (read in place), and the same values one element further on (packed).
                float[] values = new float[lda * k];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(random.NextDouble() - 0.5);
                }

                Span<float> aligned = AlignedMemory.Span<float>(values.Length), shifted = AlignedMemory.Span<float>(values.Length + 1)[1..];
                values.CopyTo(aligned);
                values.CopyTo(shifted);
                AlignedMemory.Misalignment<float>(aligned).Should().Be(0);
                float[] b = RandomArray<float>(random, k * n), c0 = RandomArray<float>(random, m * n);
                float[] inPlace = (float[])c0.Clone(), packed = (float[])c0.Clone();
                int ldb = transposeB ? n : k;
                Gemm.MultiplyCore(false, transposeB, m, n, k, 1.25f, aligned, lda, b, ldb, 0.5f, inPlace, m, path, 2);
                Gemm.MultiplyCore(false, transposeB, m, n, k, 1.25f, shifted, lda, b, ldb, 0.5f, packed, m, path, 2);

                inPlace.Should().Equal(packed, "reading A in place must not change a bit ({0}x{1}x{2}, lda {3}, {4})", m, n, k, lda, pathName);
                float[] naive = (float[])c0.Clone();
                Naive(false, transposeB, m, n, k, 1.25, values, lda, b, ldb, 0.5, naive, m);
                for (int i = 0; i < naive.Length; i++)
                {
                    inPlace[i].Should().BeApproximately(naive[i], 1e-3f);
                }
            }
        }
    }

    [Fact]
    public unsafe void ReadsAInPlace_OnlyForAlignedWholePanelsOfAnUntransposedA()
    {
        Span<float> a = AlignedMemory.Span<float>(128 * 784 + 16);
        fixed (float* p = a)
        {
            var job = new PackedGemm<float>.Job { A = p, M = 128, K = 784, Lda = 128 };
            PackedGemm<float>.ReadsAInPlace(job, 0, 128, 0, 32).Should().BeTrue("the batch of a dense layer is read in place");
            PackedGemm<float>.ReadsAInPlace(job, 0, 128, 196, 32).Should().BeTrue("a later depth block starts on a boundary too");
            PackedGemm<float>.ReadsAInPlace(job, 0, 100, 0, 32).Should().BeFalse("a partial panel needs zero padding");
            PackedGemm<float>.ReadsAInPlace(job with { TransposeA = true }, 0, 128, 0, 32).Should().BeFalse("op(A)'s panels are not contiguous");
            PackedGemm<float>.ReadsAInPlace(job with { A = p + 1 }, 0, 128, 0, 32).Should().BeFalse("a run off the vector boundary");
            PackedGemm<float>.ReadsAInPlace(job with { Lda = 132 }, 0, 128, 0, 32).Should().BeFalse("a stride off the vector boundary");
            PackedGemm<float>.ReadsAInPlace(job with { Lda = 1024 }, 0, 128, 0, 32).Should().BeFalse("columns 4 KiB apart share cache sets");
        }
    }

    [Fact]
    public void MultiplyCore_BReadInPlace_SameBitsAsPacked()
    {
        var random = new Random(8);
        // [m, n, k]: a dense layer's forward product (21 whole 12-column panels and a 4-column edge, packed), a
        // single panel, partial row panels (100 = 3 x 32 + 4) over two depth blocks, and fewer columns than a panel.
        // Untransposed B (the forward X W) and transposed B (the backward dZ W^T, op(B)'s rows read where B stores them);
        // more rows than one block, where an untransposed B is read in place by every block: the weight gradient
        // X^T dZ of a 784-input layer split into claimed row chunks on two threads, and 300 rows in three blocks over
        // three depth blocks (600), as a convolution's weight gradient on one thread.
        int[][] shapes = [[128, 256, 784], [64, 12, 100], [100, 30, 300], [32, 7, 40], [128, 784, 256], [784, 256, 128], [300, 40, 100], [300, 40, 600]];
        foreach (int[] s in shapes)
        {
            foreach ((bool transposeA, bool transposeB) in new[] { (false, false), (false, true), (true, false) })
            {
                SameBitsWithBInPlace<float>(random, s[0], s[1], s[2], transposeA, transposeB, 1024);
                SameBitsWithBInPlace<double>(random, s[0], s[1], s[2], transposeA, transposeB, 1024);
            }
        }
    }

    /// <summary>The product with B's stored columns packed tight (read in place on the AVX-512 path) against the same
    /// values stored <paramref name="packedLdb"/> apart (a multiple of 4 KiB: packed), on 1 and 2 threads, and against
    /// the naive sum.</summary>
    private static void SameBitsWithBInPlace<T>(Random random, int m, int n, int k, bool transposeA, bool transposeB, int packedLdb)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = RandomArray<T>(random, m * k), b = RandomArray<T>(random, k * n), c0 = RandomArray<T>(random, m * n);
        int lda = transposeA ? k : m;
        // B is k x n (untransposed) or n x k (transposed), column-major.
        int ldb = transposeB ? n : k, storedColumns = transposeB ? k : n;
        var wide = new T[packedLdb * storedColumns];
        for (int j = 0; j < storedColumns; j++)
        {
            b.AsSpan(j * ldb, ldb).CopyTo(wide.AsSpan(j * packedLdb));
        }

        T alpha = T.CreateChecked(1.25), beta = T.CreateChecked(0.5);
        foreach (int threads in new[] { 1, 2 })
        {
            T[] inPlace = (T[])c0.Clone(), packed = (T[])c0.Clone();
            Gemm.MultiplyCore(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, inPlace, m, GemmPath.Avx512, threads);
            Gemm.MultiplyCore(transposeA, transposeB, m, n, k, alpha, a, lda, wide, packedLdb, beta, packed, m, GemmPath.Avx512, threads);
            inPlace.Should().Equal(packed, "reading B in place must not change a bit ({0}x{1}x{2} {3}{4}{5}, {6} threads)",
                m, n, k, transposeA ? "A^T " : "", transposeB ? "B^T " : "", typeof(T).Name, threads);
        }

        T[] naive = (T[])c0.Clone(), result = (T[])c0.Clone();
        Gemm.MultiplyCore(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, result, m, GemmPath.Avx512, 1);
        Naive(transposeA, transposeB, m, n, k, 1.25, a, lda, b, ldb, 0.5, naive, m);
        for (int i = 0; i < naive.Length; i++)
        {
            double.CreateChecked(result[i]).Should().BeApproximately(double.CreateChecked(naive[i]), 1e-3);
        }
    }

    [Fact]
    public void MultiplyCore_ClaimedChunks_SameBitsOnEveryThreadCount()
    {
        // A 64-byte aligned A of at most one row block is read in place, so a column split hands out chunks that the
        // threads claim from both ends; where they meet depends on timing, never the bits. Float and double, alpha 0.5 and
        // beta 1, several widths (an odd number of chunks, a partial last chunk, an edge panel).
        var random = new Random(31);
        int[][] shapes = [[128, 256, 784], [64, 137, 50], [96, 300, 33], [128, 128, 256]];
        foreach (int[] s in shapes)
        {
            SameBitsWhenClaimed<float>(random, s[0], s[1], s[2]);
            SameBitsWhenClaimed<double>(random, s[0], s[1], s[2]);
        }
    }

    private static void SameBitsWhenClaimed<T>(Random random, int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> a = AlignedMemory.Span<T>(m * k);
        T[] b = RandomArray<T>(random, k * n), c0 = RandomArray<T>(random, m * n);
        RandomArray<T>(random, m * k).CopyTo(a);
        foreach (GemmPath path in new[] { GemmPath.Avx512, GemmPath.Avx2 })
        {
            T[] single = (T[])c0.Clone();
            Gemm.MultiplyCore(false, false, m, n, k, T.CreateChecked(0.5), a, m, b, k, T.One, single, m, path, 1);
            foreach (int threads in new[] { 2, 3, 5 })
            {
                for (int repeat = 0; repeat < 3; repeat++)
                {
                    T[] parallel = (T[])c0.Clone();
                    Gemm.MultiplyCore(false, false, m, n, k, T.CreateChecked(0.5), a, m, b, k, T.One, parallel, m, path, threads);
                    parallel.Should().Equal(single, "{0}x{1}x{2} {3} on {4}, {5} threads", m, n, k, typeof(T).Name, path, threads);
                }
            }
        }
    }

    [Fact]
    public void MultiplyCore_ClaimedRowChunks_SameBitsOnEveryThreadCount()
    {
        // A row split of one depth block and one column block packs op(B) once per thread and hands out chunks of rows
        // claimed from both ends; where the threads meet depends on timing, never the bits. The weight-gradient shapes of
        // the reference network (op(A) = X^T), a partial last chunk with an edge panel, both transposes, beta 0 and 1.
        var random = new Random(37);
        int[][] shapes = [[784, 256, 128], [256, 128, 128], [333, 50, 97], [600, 40, 200]];
        foreach (int[] s in shapes)
        {
            foreach ((bool ta, bool tb) in new[] { (true, false), (false, true), (false, false) })
            {
                SameBitsWhenRowsClaimed<float>(random, s[0], s[1], s[2], ta, tb);
                SameBitsWhenRowsClaimed<double>(random, s[0], s[1], s[2], ta, tb);
            }
        }
    }

    private static void SameBitsWhenRowsClaimed<T>(Random random, int m, int n, int k, bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = RandomArray<T>(random, m * k), b = RandomArray<T>(random, k * n), c0 = RandomArray<T>(random, m * n);
        int lda = transposeA ? k : m, ldb = transposeB ? n : k;
        foreach (GemmPath path in new[] { GemmPath.Avx512, GemmPath.Avx2 })
        {
            foreach (T beta in new[] { T.Zero, T.One })
            {
                T[] single = (T[])c0.Clone();
                Gemm.MultiplyCore(transposeA, transposeB, m, n, k, T.CreateChecked(0.5), a, lda, b, ldb, beta, single, m, path, 1);
                foreach (int threads in new[] { 2, 3 })
                {
                    for (int repeat = 0; repeat < 3; repeat++)
                    {
                        T[] parallel = (T[])c0.Clone();
                        Gemm.MultiplyCore(transposeA, transposeB, m, n, k, T.CreateChecked(0.5), a, lda, b, ldb, beta, parallel, m, path, threads);
                        parallel.Should().Equal(single, "{0}x{1}x{2} ({3}{4}) {5} on {6}, {7} threads, beta {8}",
                            m, n, k, transposeA ? "A^T " : "", transposeB ? "B^T" : "", typeof(T).Name, path, threads, beta);
                    }
                }
            }
        }
    }

    [Fact]
    public void ClaimsRowChunks_OnlyForOneDepthBlockAndOneColumnBlock()
    {
        var job = new PackedGemm<float>.Job { M = 784, N = 256, K = 128, TransposeA = true, Path = GemmPath.Avx512 };
        ParallelGemm<float>.ClaimsRowChunks(job, 2, 25).Should().BeTrue("the first layer's weight gradient on a batch of 128");
        ParallelGemm<float>.ClaimsRowChunks(job with { K = 256 }, 2, 25).Should().BeTrue("a batch of 256 is one depth block");
        ParallelGemm<float>.ClaimsRowChunks(job with { K = 257 }, 2, 25).Should().BeFalse("two depth blocks would race on C");
        ParallelGemm<float>.ClaimsRowChunks(job with { N = 5000 }, 2, 25).Should().BeFalse("two column blocks");
        ParallelGemm<float>.ClaimsRowChunks(job, 2, 3).Should().BeFalse("fewer than two chunks per thread");
    }

    [Fact]
    public unsafe void ClaimsChunks_OnlyForOneRowBlockWithAReadInPlace()
    {
        Span<float> aligned = AlignedMemory.Span<float>(128 * 784 + 16);
        fixed (float* pa = aligned)
        {
            var job = new PackedGemm<float>.Job { A = pa, M = 128, N = 256, K = 784, Lda = 128, Path = GemmPath.Avx512 };
            ParallelGemm<float>.ClaimsChunks(job, 2, 22).Should().BeTrue("the forward product of a dense layer on an aligned batch");
            ParallelGemm<float>.ClaimsChunks(job with { A = pa + 1 }, 2, 22).Should().BeFalse("A would be packed for every chunk");
            ParallelGemm<float>.ClaimsChunks(job with { TransposeA = true }, 2, 22).Should().BeFalse("op(A) = A^T is packed");
            ParallelGemm<float>.ClaimsChunks(job with { M = 256, Lda = 256 }, 2, 22).Should().BeFalse("two row blocks");
            ParallelGemm<float>.ClaimsChunks(job, 2, 3).Should().BeFalse("fewer than two chunks per thread");
        }
    }

    [Fact]
    public unsafe void ReadsBInPlace_OnTheAvx512PathUnlessStoredColumnsShareCacheSets()
    {
        var job = new PackedGemm<float>.Job { K = 784, N = 256, Ldb = 784, Path = GemmPath.Avx512 };
        PackedGemm<float>.ReadsBInPlace(job).Should().BeTrue("the weights of a dense layer are read in place");
        PackedGemm<float>.ReadsBInPlace(job with { K = 256, N = 784, TransposeB = true }).Should().BeTrue("op(B)'s rows are runs of W in dZ W^T");
        PackedGemm<float>.ReadsBInPlace(job with { Ldb = 1024 }).Should().BeFalse("columns 4 KiB apart share cache sets");
        PackedGemm<float>.ReadsBInPlace(job with { Ldb = 1024, TransposeB = true }).Should().BeFalse("depth steps 4 KiB apart share cache sets");
        PackedGemm<float>.ReadsReusedBInPlace(job).Should().BeTrue("dZ in the weight gradient X^T dZ is read in place by every row block");
        PackedGemm<float>.ReadsReusedBInPlace(job with { K = 256, N = 784, TransposeB = true }).Should().BeFalse("a transposed B reused by many row blocks is packed");
        PackedGemm<float>.ReadsReusedBInPlace(job with { Ldb = 1024 }).Should().BeFalse("columns 4 KiB apart share cache sets");
        PackedGemm<float>.ReadsBInPlace(job with { Path = GemmPath.Avx2 }).Should().BeFalse("only the AVX-512 kernel reads B in place");
        PackedGemm<double>.ReadsBInPlace(new PackedGemm<double>.Job { Ldb = 512, Path = GemmPath.Avx512 }).Should().BeFalse("4 KiB in double");
    }

    [Theory]
    [MemberData(nameof(PathsData))]
    public void MultiplyCore_OneTwoAndFiveThreads_IdenticalBits(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var random = new Random(3);
        // Wide (split by columns), tall (split by rows) and a training-shaped product, each above the
        // per-thread work threshold so that several threads really run.
        int[][] shapes = [[128, 256, 100], [600, 40, 200], [128, 784, 256]];
        foreach (int[] s in shapes)
        {
            int m = s[0], n = s[1], k = s[2];
            foreach (bool transposeA in new[] { false, true })
            {
                float[] a = RandomArray<float>(random, m * k), b = RandomArray<float>(random, k * n);
                float[] c0 = RandomArray<float>(random, m * n);
                float[] c1 = (float[])c0.Clone(), c2 = (float[])c0.Clone(), c5 = (float[])c0.Clone();
                int lda = transposeA ? k : m;

                Gemm.MultiplyCore(transposeA, false, m, n, k, 1.25f, a, lda, b, k, 0.5f, c1, m, path, 1);
                Gemm.MultiplyCore(transposeA, false, m, n, k, 1.25f, a, lda, b, k, 0.5f, c2, m, path, 2);
                Gemm.MultiplyCore(transposeA, false, m, n, k, 1.25f, a, lda, b, k, 0.5f, c5, m, path, 5);

                c2.Should().Equal(c1, "two threads must give the bits of one ({0}x{1}x{2})", m, n, k);
                c5.Should().Equal(c1, "five threads must give the bits of one ({0}x{1}x{2})", m, n, k);
            }
        }
    }

    [Theory]
    [MemberData(nameof(PathsData))]
    public void MultiplyCore_SingleRow_EachColumnGetsItsOwnBits(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var random = new Random(4);
        // The reference first layer, and odd shapes whose last columns fall outside the four-column groups and whose
        // depth leaves one single-vector step and a scalar tail (265 = 16 x 16 + 8 + 1 in float): a column computed
        // in its group of four gets the bits of the same column computed alone (a 1 x k x 1 product).
        int[][] shapes = [[784, 256], [265, 130], [265, 3]];
        foreach (int[] s in shapes)
        {
            int k = s[0], n = s[1];
            foreach (bool transposeA in new[] { false, true })
            {
                float[] x = RandomArray<float>(random, k), w = RandomArray<float>(random, k * n);
                float[] c0 = RandomArray<float>(random, n), c = (float[])c0.Clone();
                int lda = transposeA ? k : 1;

                Gemm.MultiplyCore(transposeA, false, 1, n, k, 1.25f, x, lda, w, k, 0.5f, c, 1, path, 2);

                for (int j = 0; j < n; j++)
                {
                    float[] single = [c0[j]];
                    Gemm.MultiplyCore(transposeA, false, 1, 1, k, 1.25f, x, lda, w.AsSpan(j * k, k), k, 0.5f, single, 1, path, 1);
                    single[0].Should().Be(c[j], "column {0} of 1x{1}x{2}", j, n, k);
                }
            }
        }
    }

    [Fact]
    public void Multiply_SingleRowAfterWarmUp_AllocatesNothing()
    {
        const int n = 256, k = 784;
        var random = new Random(9);
        float[] x = RandomArray<float>(random, k), w = RandomArray<float>(random, k * n), c = new float[n];
        Gemm.Multiply(false, false, 1, n, k, 1f, x, 1, w, k, 0f, c, 1);

        Allocations.LeastPerRound(() => Gemm.Multiply(false, false, 1, n, k, 1f, x, 1, w, k, 0f, c, 1)).Should().Be(0);
    }

    [Fact]
    public void Multiply_AfterWarmUp_AllocatesNothing()
    {
        const int m = 128, n = 256, k = 200;
        var random = new Random(8);
        float[] a = RandomArray<float>(random, m * k), b = RandomArray<float>(random, k * n), c = new float[m * n];
        Gemm.MultiplyCore(false, true, m, n, k, 1f, a, m, b, n, 0f, c, m, GemmPath.Auto, 2);

        Allocations.LeastPerRound(() => Gemm.MultiplyCore(false, true, m, n, k, 1f, a, m, b, n, 0f, c, m, GemmPath.Auto, 2)).Should().Be(0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Multiply_InGradientCheckedNetwork_GradientsMatchCentralDifferences(int threads)
    {
        // Batch 40 through 30-24-12-5: every dense product except the last layer's has more than 4096
        // multiply-adds, so the packed kernel computes them (forward, dW and dX).
        int previous = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = threads;
            Network<double> network = new NetworkBuilder<double>(30).WithSeed(12)
                .AddDense(24, NeuralNet.Activations.Activation.Tanh)
                .AddDense(12, NeuralNet.Activations.Activation.ReLU)
                .AddDense(5, NeuralNet.Activations.Activation.Softmax).Build();
            var random = new Random(6);
            var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(40, 30, (_, _) => random.NextDouble() * 2 - 1);
            var y = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(40, 5, (r, c) => r % 5 == c ? 1.0 : 0.0);

            NeuralNet.Diagnostics.GradientCheckResult result =
                NeuralNet.Diagnostics.GradientCheck.Run(network, x, y, NeuralNet.Losses.Loss.CategoricalCrossEntropy);

            result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = previous;
        }
    }

    [Fact]
    public void Multiply_NegativeM_Throws()
    {
        Action act = () => Gemm.Multiply(false, false, -1, 2, 2, 1.0, new double[4], 1, new double[4], 2, 0.0, new double[4], 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("m");
    }

    [Fact]
    public void Multiply_LeadingDimensionTooSmall_Throws()
    {
        // A is 3x2 (not transposed), so lda must be at least 3.
        Action act = () => Gemm.Multiply(false, false, 3, 2, 2, 1.0, new double[6], 2, new double[4], 2, 0.0, new double[6], 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lda");
    }

    [Fact]
    public void Multiply_ShortC_Throws()
    {
        // C is 3x2 with ldc 3: it needs (2-1)*3 + 3 = 6 elements, 5 given.
        Action act = () => Gemm.Multiply(false, false, 3, 2, 2, 1.0, new double[6], 3, new double[4], 2, 0.0, new double[5], 3);
        act.Should().Throw<ArgumentException>().WithParameterName("c");
    }

    [Fact]
    public void MaxDegreeOfParallelism_Zero_Throws()
    {
        Action act = () => Gemm.MaxDegreeOfParallelism = 0;
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
    }

    [Fact]
    public void KernelName_OnX64WithAvx2_NamesTheAvx2Kernel()
    {
        string expected = Avx2.IsSupported && Fma.IsSupported && !(Gemm.EnableAvx512 && Avx512F.IsSupported) ? "avx2-fma 16x6" : Gemm.KernelName<float>();
        Gemm.KernelName<float>().Should().Be(expected);
        string expectedDouble = expected == "avx2-fma 16x6" ? "avx2-fma 8x6" : Gemm.KernelName<double>();
        Gemm.KernelName<double>().Should().Be(expectedDouble);
    }

    private static void CheckAgainstNaive<T>(string pathName, int m, int n, int k, bool transposeA, bool transposeB,
        double alpha, double beta, int extraLd, int threads, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var random = new Random(m * 7919 + n * 104729 + k * 31 + (transposeA ? 1 : 0) + (transposeB ? 2 : 0));
        int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
        int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
        int lda = aRows + extraLd, ldb = bRows + extraLd, ldc = m + extraLd;
        T[] a = RandomArray<T>(random, lda * aCols), b = RandomArray<T>(random, ldb * bCols);
        T[] c = RandomArray<T>(random, ldc * n);
        T[] expected = (T[])c.Clone();

        Gemm.MultiplyCore(transposeA, transposeB, m, n, k, T.CreateChecked(alpha), a, lda, b, ldb, T.CreateChecked(beta), c, ldc, path, threads);
        Naive(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);

        RelativeError(c, expected).Should().BeLessThan(tolerance, "{0}x{1}x{2} tA={3} tB={4} on {5}", m, n, k, transposeA, transposeB, path);
        for (int j = 0; j < n; j++)
        {
            for (int i = m; i < ldc; i++)
            {
                // Rows past m in each column of C belong to the caller and must be untouched.
                c[i + j * ldc].Should().Be(expected[i + j * ldc]);
            }
        }
    }

    /// <summary>The triple loop straight from the definition, accumulated in double.</summary>
    private static void Naive<T>(bool transposeA, bool transposeB, int m, int n, int k, double alpha,
        T[] a, int lda, T[] b, int ldb, double beta, T[] c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double aip = double.CreateChecked(transposeA ? a[p + i * lda] : a[i + p * lda]);
                    double bpj = double.CreateChecked(transposeB ? b[j + p * ldb] : b[p + j * ldb]);
                    sum += aip * bpj;
                }

                double old = beta == 0 ? 0 : beta * double.CreateChecked(c[i + j * ldc]);
                c[i + j * ldc] = T.CreateChecked(alpha * sum + old);
            }
        }
    }

    /// <summary>max |actual - expected| / max(1, max |expected|).</summary>
    private static double RelativeError<T>(T[] actual, T[] expected) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double maxDiff = 0, scale = 1;
        for (int i = 0; i < actual.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(double.CreateChecked(actual[i]) - double.CreateChecked(expected[i])));
            scale = Math.Max(scale, Math.Abs(double.CreateChecked(expected[i])));
        }

        return maxDiff / scale;
    }

    internal static T[] RandomArray<T>(Random random, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        }

        return result;
    }
}

public class GemmKernelAgreementTests
{
    [Theory]
    [InlineData(128, 256, 784)]
    [InlineData(37, 41, 300)]
    public void Avx2AndAvx512Kernels_SameBits(int m, int n, int k)
    {
        // Each element of C is accumulated in the same depth order by both micro-kernels, so their bits agree.
        var random = new RandomSource(5);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)random.NextGaussian();
        for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextGaussian();
        float[] c2 = new float[m * n], c512 = new float[m * n];
        Gemm.MultiplyCore<float>(false, false, m, n, k, 1f, a, m, b, k, 0f, c2, m, GemmPath.Avx2, 1);
        Gemm.MultiplyCore<float>(false, false, m, n, k, 1f, a, m, b, k, 0f, c512, m, GemmPath.Avx512, 1);
        c512.Should().Equal(c2);
    }

    [Fact]
    public void Avx2AndAvx512Kernels_SameBits_OnEveryEdgeTileShape()
    {
        // The AVX-512 path computes an edge tile with 1 or 2 vectors of rows and 4, 8 or 12 columns, the smallest that
        // covers it; the AVX2 path with its own 16 x 6 (8 x 6 in double) tiles. Rows 1 to 47 and columns 1 to 24 put
        // every edge shape of both (1 and 2 vectors of rows; 1-4, 5-8 and 9-11 columns) behind whole tiles, with
        // alpha and beta applied, transposed operands, one and two depth blocks, on 1 and 2 threads.
        var random = new Random(21);
        int[] rows = [1, 5, 16, 17, 31, 33, 47], columns = [1, 3, 4, 5, 8, 9, 11, 12, 13, 16, 17, 20, 21, 24];
        foreach (int m in rows)
        {
            foreach (int n in columns)
            {
                int k = (m + n) % 2 == 0 ? 37 : 300;
                bool transposeA = n % 3 == 0, transposeB = m % 2 == 0;
                SameBits<float>(random, m, n, k, transposeA, transposeB, threads: 1 + (m + n) % 2);
                SameBits<double>(random, m, n, k, transposeA, transposeB, threads: 1 + (m + n) % 2);
            }
        }
    }

    private static void SameBits<T>(Random random, int m, int n, int k, bool transposeA, bool transposeB, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = GemmTests.RandomArray<T>(random, m * k), b = GemmTests.RandomArray<T>(random, k * n), c0 = GemmTests.RandomArray<T>(random, m * n);
        T[] c2 = (T[])c0.Clone(), c512 = (T[])c0.Clone();
        T alpha = T.CreateChecked(0.75), beta = T.CreateChecked(-1.5);
        int lda = transposeA ? k : m, ldb = transposeB ? n : k;
        Gemm.MultiplyCore(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c2, m, GemmPath.Avx2, threads);
        Gemm.MultiplyCore(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c512, m, GemmPath.Avx512, threads);
        c512.Should().Equal(c2, "{0}x{1}x{2} {3}, A^T {4}, B^T {5}, {6} threads", m, n, k, typeof(T).Name, transposeA, transposeB, threads);
    }
}
