using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Providers.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

/// <summary>MathNet's provider is process-wide: these tests swap it, so they run alone.</summary>
[CollectionDefinition(nameof(LinearAlgebraProviderCollection), DisableParallelization = true)]
public sealed class LinearAlgebraProviderCollection;

[Collection(nameof(LinearAlgebraProviderCollection))]
public sealed class GemmLinearAlgebraProviderTests
{
    [Fact]
    public void Multiply_WithProviderInstalled_GivesTheKernelsBits()
    {
        // Bit-equality with Gemm.Multiply (whose rounding differs from MathNet's managed loop) shows the
        // products really route through the kernel, for all three product forms and both precisions.
        var random = new Random(4);
        Matrix<float> x = Matrix<float>.Build.Dense(40, 50, (_, _) => (float)(random.NextDouble() - 0.5));
        Matrix<float> w = Matrix<float>.Build.Dense(50, 30, (_, _) => (float)(random.NextDouble() - 0.5));
        Matrix<double> xd = Matrix<double>.Build.Dense(40, 50, (_, _) => random.NextDouble() - 0.5);
        Matrix<double> wd = Matrix<double>.Build.Dense(40, 30, (_, _) => random.NextDouble() - 0.5);

        float[] z = new float[40 * 30];
        Gemm.Multiply(false, false, 40, 30, 50, 1f, x.AsColumnMajorArray(), 40, w.AsColumnMajorArray(), 50, 0f, z, 40);
        double[] xtw = new double[50 * 30];
        Gemm.Multiply(true, false, 50, 30, 40, 1.0, xd.AsColumnMajorArray(), 40, wd.AsColumnMajorArray(), 40, 0.0, xtw, 50);
        float[] zwt = new float[40 * 50];
        Gemm.Multiply(false, true, 40, 50, 30, 1f, z, 40, w.AsColumnMajorArray(), 50, 0f, zwt, 40);

        ILinearAlgebraProvider previous = LinearAlgebraControl.Provider;
        try
        {
            LinearAlgebraControl.Provider = new GemmLinearAlgebraProvider();

            (x * w).AsColumnMajorArray().Should().Equal(z);
            xd.TransposeThisAndMultiply(wd).AsColumnMajorArray().Should().Equal(xtw);
            Matrix<float>.Build.Dense(40, 30, z).TransposeAndMultiply(w).AsColumnMajorArray().Should().Equal(zwt);
        }
        finally
        {
            LinearAlgebraControl.Provider = previous;
        }
    }

    [Fact]
    public void Inverse_WithProviderInstalled_FallsBackToManaged()
    {
        // [[4, 7], [2, 6]]^-1 = 1/(4*6 - 7*2) [[6, -7], [-2, 4]] = [[0.6, -0.7], [-0.2, 0.4]]: LU goes to the
        // wrapped managed provider.
        ILinearAlgebraProvider previous = LinearAlgebraControl.Provider;
        try
        {
            LinearAlgebraControl.Provider = new GemmLinearAlgebraProvider();
            Matrix<double> inverse = Matrix<double>.Build.DenseOfArray(new double[,] { { 4, 7 }, { 2, 6 } }).Inverse();
            inverse[0, 0].Should().BeApproximately(0.6, 1e-12);
            inverse[0, 1].Should().BeApproximately(-0.7, 1e-12);
            inverse[1, 0].Should().BeApproximately(-0.2, 1e-12);
            inverse[1, 1].Should().BeApproximately(0.4, 1e-12);
        }
        finally
        {
            LinearAlgebraControl.Provider = previous;
        }
    }
}
