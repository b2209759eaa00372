using System.Numerics.Tensors;
using FluentAssertions;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The product's epilogue (bias add, then max(·, 0) into another matrix or in place) gives, on 1, 2 and 5 threads and on
/// every path (packed and split by columns or by rows, a single row, tiny, one column), the bits of the product
/// followed by the two separate passes the dense layer used to make.
/// </summary>
public sealed unsafe class GemmEpilogueTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 128, 256, 784 },  // the forward product of a 784-256 layer at batch 128: split by columns
        { 300, 40, 64 },    // taller than wide: split by rows
        { 1, 130, 257 },    // one sample: the row kernel
        { 3, 4, 5 },        // tiny: the reference loop
        { 50, 1, 70 },      // one column
        { 129, 131, 517 },  // edges everywhere
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BiasAndRectifier_MatchSeparatePasses_OnAnyThreadCount(int m, int n, int k)
    {
        var random = new Random(m * 7919 + n * 31 + k);
        float[] a = Values(m * k, random), b = Values(k * n, random), bias = Values(n, random);
        a[0] = float.NaN; // a NaN row must stay NaN through the rectifier, as TensorPrimitives.Max keeps it

        float[] expectedZ = new float[m * n], expectedR = new float[m * n];
        Gemm.MultiplyCore(false, false, m, n, k, 1f, a, m, b, k, 0f, expectedZ, m, GemmPath.Auto, 1);
        for (int j = 0; j < n; j++)
        {
            Span<float> column = expectedZ.AsSpan(j * m, m);
            TensorPrimitives.Add(column, bias[j], column);
        }

        TensorPrimitives.Max(expectedZ, 0f, expectedR);
        expectedR.Should().Contain(float.NaN);

        foreach (int threads in new[] { 1, 2, 5 })
        {
            float[] z = Values(m * n, random), r = Values(m * n, random), inPlace = Values(m * n, random);
            fixed (float* pb = bias, pr = r, pi = inPlace)
            {
                Gemm.MultiplyCore(false, false, m, n, k, 1f, a, m, b, k, 0f, z, m, GemmPath.Auto, threads, new GemmEpilogue<float>(pb, pr));
                Gemm.MultiplyCore(false, false, m, n, k, 1f, a, m, b, k, 0f, inPlace, m, GemmPath.Auto, threads, new GemmEpilogue<float>(pb, pi));
            }

            Bits(z).Should().Equal(Bits(expectedZ), $"Z on {threads} thread(s)");
            Bits(r).Should().Equal(Bits(expectedR), $"max(Z, 0) on {threads} thread(s)");
            Bits(inPlace).Should().Equal(Bits(expectedR), $"max(Z, 0) in place on {threads} thread(s)");
        }
    }

    [Fact]
    public void BiasOnly_LeavesNoRectifiedOutput_AndEmptyEpilogueChangesNothing()
    {
        var random = new Random(3);
        const int M = 64, N = 48, K = 96;
        float[] a = Values(M * K, random), b = Values(K * N, random), bias = Values(N, random);
        float[] plain = new float[M * N], withBias = new float[M * N], empty = new float[M * N];
        Gemm.MultiplyCore(false, false, M, N, K, 1f, a, M, b, K, 0f, plain, M, GemmPath.Auto, 2);
        fixed (float* pb = bias)
        {
            Gemm.MultiplyCore(false, false, M, N, K, 1f, a, M, b, K, 0f, withBias, M, GemmPath.Auto, 2, new GemmEpilogue<float>(pb, null));
        }

        Gemm.MultiplyCore(false, false, M, N, K, 1f, a, M, b, K, 0f, empty, M, GemmPath.Auto, 2, default);
        Bits(empty).Should().Equal(Bits(plain));
        for (int j = 0; j < N; j++)
        {
            for (int i = 0; i < M; i++)
            {
                withBias[j * M + i].Should().Be(plain[j * M + i] + bias[j]);
            }
        }

        withBias.Should().Contain(v => v < 0, "no rectifier was asked for");
    }

    public static TheoryData<int, int, int> GradientShapes() => new()
    {
        { 784, 256, 128 },  // the first layer's weight gradient at batch 128: rows claimed in chunks
        { 256, 128, 128 },  // the second layer's: rows claimed in chunks
        { 128, 10, 128 },   // the output layer's: one thread
        { 700, 60, 300 },   // two depth blocks: fixed row halves
        { 40, 300, 64 },    // wider than tall: split by columns
        { 5, 3, 4 },        // tiny: the reference loop
        { 50, 1, 70 },      // one column
    };

    [Theory]
    [MemberData(nameof(GradientShapes))]
    public void ColumnSums_EqualTensorPrimitivesSumPerColumn_AndLeaveTheProductAsIs(int inputs, int units, int batch)
    {
        // dW = X^T dZ with db = Σ_b dZ[b, j] in the epilogue: every column summed exactly once, by whichever thread
        // holds that column of dW's first rows, with TensorPrimitives.Sum's bits; dW as without the epilogue.
        var random = new Random(inputs * 31 + units * 7 + batch);
        float[] x = Values(batch * inputs, random), dz = Values(batch * units, random);
        dz[3] = float.NaN;
        float[] expectedW = new float[inputs * units], expectedB = new float[units];
        Gemm.MultiplyCore(true, false, inputs, units, batch, 1f, x, batch, dz, batch, 0f, expectedW, inputs, GemmPath.Auto, 1);
        for (int j = 0; j < units; j++)
        {
            expectedB[j] = TensorPrimitives.Sum(dz.AsSpan(j * batch, batch));
        }

        foreach (int threads in new[] { 1, 2, 3, 5 })
        {
            float[] w = Values(inputs * units, random), db = Values(units, random);
            fixed (float* pdz = dz, pdb = db)
            {
                Gemm.MultiplyCore(true, false, inputs, units, batch, 1f, x, batch, dz, batch, 0f, w, inputs, GemmPath.Auto, threads, GemmEpilogue<float>.ColumnSums(pdz, batch, pdb));
            }

            Bits(w).Should().Equal(Bits(expectedW), $"dW on {threads} thread(s)");
            Bits(db).Should().Equal(Bits(expectedB), $"db on {threads} thread(s)");
        }
    }

    [Fact]
    public void AddRectify_EqualsTensorPrimitivesAddThenMax_OnSpecialValues()
    {
        // NaN, both zeros, infinities, subnormals and the largest values, in the vector body and the scalar tail
        // (37 = 2 x 16 + 5 floats, 4 x 8 + 5 doubles), into another buffer and in place, for several biases.
        AddRectifyMatches<float>([float.NaN, -0f, 0f, float.NegativeInfinity, float.PositiveInfinity, -1f, 1f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, -1e-3f, 2.5f]);
        AddRectifyMatches<double>([double.NaN, -0d, 0d, double.NegativeInfinity, double.PositiveInfinity, -1d, 1d, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, -1e-3, 2.5]);
    }

    private static void AddRectifyMatches<T>(T[] specials) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (T bias in new[] { T.Zero, T.NegativeZero, T.CreateChecked(0.5), T.CreateChecked(-2), T.NegativeInfinity, T.NaN })
        {
            foreach (int rows in new[] { 37, 128, 3 })
            {
                var column = new T[rows];
                for (int i = 0; i < rows; i++)
                {
                    column[i] = specials[(i * 5) % specials.Length];
                }

                T[] expectedZ = (T[])column.Clone(), expectedR = new T[rows];
                TensorPrimitives.Add(expectedZ, bias, expectedZ);
                TensorPrimitives.Max(expectedZ, T.Zero, expectedR);
                T[] z = (T[])column.Clone(), r = new T[rows], inPlace = (T[])column.Clone();
                fixed (T* pz = z, pr = r, pi = inPlace)
                {
                    GemmEpilogue<T>.AddRectify(pz, bias, pr, rows);
                    GemmEpilogue<T>.AddRectify(pi, bias, pi, rows);
                }

                Bits(z).Should().Equal(Bits(expectedZ), "the bias add of {0} rows, bias {1}", rows, bias);
                Bits(r).Should().Equal(Bits(expectedR), "the rectifier of {0} rows, bias {1}", rows, bias);
                Bits(inPlace).Should().Equal(Bits(expectedR), "in place, {0} rows, bias {1}", rows, bias);
            }
        }
    }

    private static long[] Bits<T>(T[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Array.ConvertAll(values, v => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)v) : BitConverter.DoubleToInt64Bits((double)(object)v));

    private static float[] Values(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
