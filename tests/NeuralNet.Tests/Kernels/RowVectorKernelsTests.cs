using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

public sealed class RowVectorKernelsTests
{
    /// <summary>The paths this machine runs: the batch path (0) always, the 512-bit kernel where supported.</summary>
    public static TheoryData<int> Widths<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = new TheoryData<int> { 0 };
        if (RowVectorKernels<T>.Width == 512)
        {
            data.Add(512);
        }

        return data;
    }

    public static TheoryData<int> FloatWidths => Widths<float>();

    public static TheoryData<int> DoubleWidths => Widths<double>();

    // The reference layers (784 = 24 x 32 + 16 in float leaves one single 512-bit step after the two-step loop);
    // 265 = 8 x 32 + 8 + 1 in float takes the 256-bit step and a scalar tail (16 x 16 + 8 + 1 in double: a single
    // 512-bit step and a scalar tail); 130 columns end outside the groups of eight; 7 is shorter than one vector.
    private static readonly int[][] Shapes = [[784, 256], [256, 128], [128, 10], [265, 130], [7, 3], [9, 1]];

    [Fact]
    public void Affine_512BitKernel_IsBitIdenticalToTheBatchPath()
    {
        if (RowVectorKernels<float>.Width != 512)
        {
            return;
        }

        BitIdentical<float>();
        BitIdentical<double>();
    }

    private static void BitIdentical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(2);
        foreach (int[] s in Shapes)
        {
            int k = s[0], n = s[1];
            T[] x = RandomArray<T>(random, k), w = RandomArray<T>(random, k * n), b = RandomArray<T>(random, n);
            foreach (bool rectify in new[] { false, true })
            {
                T[] fast = new T[n], batch = new T[n];
                RowVectorKernels<T>.Affine(x, w, b, fast, rectify, 512);
                RowVectorKernels<T>.Affine(x, w, b, batch, rectify, 0);
                fast.Should().Equal(batch, "{0} x {1}, rectify {2}", k, n, rectify);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FloatWidths))]
    public void Affine_Float_MatchesDoublePrecisionSumWithinRounding(int width) => MatchesReference<float>(width);

    [Theory]
    [MemberData(nameof(DoubleWidths))]
    public void Affine_Double_MatchesExtendedSumWithinRounding(int width) => MatchesReference<double>(width);

    [Theory]
    [MemberData(nameof(FloatWidths))]
    public void Affine_EachColumn_GetsTheBitsOfTheColumnAlone(int width)
    {
        var random = new Random(5);
        foreach (int[] s in Shapes)
        {
            int k = s[0], n = s[1];
            float[] x = RandomArray<float>(random, k), w = RandomArray<float>(random, k * n), b = RandomArray<float>(random, n);
            float[] z = new float[n];
            RowVectorKernels<float>.Affine(x, w, b, z, rectify: false, width);
            for (int j = 0; j < n; j++)
            {
                float[] single = new float[1];
                RowVectorKernels<float>.Affine(x, w.AsSpan(j * k, k), b.AsSpan(j, 1), single, rectify: false, width);
                single[0].Should().Be(z[j], "column {0} of {1} x {2}", j, k, n);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FloatWidths))]
    public void Affine_Rectify_IsTensorPrimitivesMaxOfTheAffineRow(int width)
    {
        // Bits of max(z, 0) as the ReLU layer computes it: negative sums become +0, and column 1, which meets a NaN
        // weight, stays NaN.
        const int k = 40, n = 19;
        var random = new Random(6);
        float[] x = RandomArray<float>(random, k), w = RandomArray<float>(random, k * n), b = RandomArray<float>(random, n);
        w[k + 3] = float.NaN;
        float[] plain = new float[n], rectified = new float[n];

        RowVectorKernels<float>.Affine(x, w, b, plain, rectify: false, width);
        RowVectorKernels<float>.Affine(x, w, b, rectified, rectify: true, width);

        float[] expected = new float[n];
        TensorPrimitives.Max(plain, 0f, expected);
        rectified.Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Select(BitConverter.SingleToInt32Bits));
        float.IsNaN(rectified[1]).Should().BeTrue();
        plain.Should().Contain(v => v < 0f, "the case must rectify something");
        rectified.Where((_, j) => j != 1).Should().OnlyContain(v => v >= 0f);
    }

    [Fact]
    public void Affine_TooShortWeights_Throws()
    {
        Action act = () => RowVectorKernels<float>.Affine(new float[4], new float[7], new float[2], new float[2], rectify: false);
        act.Should().Throw<ArgumentException>().WithParameterName("w");
    }

    /// <summary>
    /// Each output against the sum in double (float) or in pairs of doubles (double, compensated), within a bound
    /// of 64 units of rounding times the sum of the terms' magnitudes: a sum of k terms in v lanes errs by at most
    /// about (k / v + log2(v) + 2) units of rounding, under 64 for these shapes (the errors seen are far smaller).
    /// </summary>
    private static void MatchesReference<T>(int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(3);
        double unit = typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);
        foreach (int[] s in Shapes)
        {
            int k = s[0], n = s[1];
            T[] x = RandomArray<T>(random, k), w = RandomArray<T>(random, k * n), b = RandomArray<T>(random, n);
            T[] z = new T[n];
            RowVectorKernels<T>.Affine(x, w, b, z, rectify: true, width);
            for (int j = 0; j < n; j++)
            {
                (double sum, double magnitude) = ReferenceDot(x, w.AsSpan(j * k, k));
                double expected = Math.Max(0, sum + double.CreateChecked(b[j]));
                double bound = 64 * unit * (magnitude + Math.Abs(double.CreateChecked(b[j])));
                Math.Abs(double.CreateChecked(z[j]) - expected).Should().BeLessThanOrEqualTo(bound, "column {0} of {1} x {2}", j, k, n);
            }
        }
    }

    /// <summary>Dot product with Neumaier's compensated summation in double, and the sum of |terms|.</summary>
    private static (double Sum, double Magnitude) ReferenceDot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0, compensation = 0, magnitude = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double term = double.CreateChecked(x[i]) * double.CreateChecked(w[i]);
            magnitude += Math.Abs(term);
            double t = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }

        return (sum + compensation, magnitude);
    }

    private static T[] RandomArray<T>(Random random, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        }

        return result;
    }
}
