using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests;

/// <summary>Seeded inputs for tests.</summary>
internal static class TestData
{
    public static Matrix<double> Gaussian(int rows, int cols, long seed, double scale = 1.0)
    {
        var random = new RandomSource(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => random.NextGaussian() * scale);
    }

    public static Matrix<double> OneHot(int rows, int classes, long seed)
    {
        var random = new RandomSource(seed);
        var m = Matrix<double>.Build.Dense(rows, classes);
        for (int r = 0; r < rows; r++)
        {
            m[r, random.NextInt(classes)] = 1;
        }

        return m;
    }

    public static Matrix<double> Labels(int rows, int classes, long seed)
    {
        var random = new RandomSource(seed);
        return Matrix<double>.Build.Dense(rows, 1, (_, _) => random.NextInt(classes));
    }

    public static Matrix<double> Uniform01(int rows, int cols, long seed)
    {
        var random = new RandomSource(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => 0.05 + 0.9 * random.NextDouble());
    }

    public static readonly double[,] XorInputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
}
