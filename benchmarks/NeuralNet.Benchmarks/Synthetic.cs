using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Benchmarks;

/// <summary>Seeded synthetic data for the benchmarks.</summary>
public static class Synthetic
{
    public static float[] Gaussian(int length, long seed)
    {
        var random = new RandomSource(seed);
        var result = new float[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = (float)random.NextGaussian();
        }

        return result;
    }

    /// <summary>One-hot targets for a column-major [batch x classes] block; sample r is class r mod classes.</summary>
    public static float[] OneHot(int batch, int classes, int offset)
    {
        var result = new float[batch * classes];
        for (int r = 0; r < batch; r++)
        {
            result[r + ((r + offset) % classes) * batch] = 1f;
        }

        return result;
    }

    /// <summary>Rows of the reference epoch's data.</summary>
    public const int ReferenceRows = 60_000;

    /// <summary>The reference epoch's data: <see cref="ReferenceRows"/> x 784 uniform inputs (seed 2) and a class label
    /// per row (row r is class r mod 10), as the trainer benchmarks fit them.</summary>
    public static (Matrix<float> X, Matrix<float> Y) ReferenceData()
    {
        var random = new RandomSource(2);
        return (Matrix<float>.Build.Dense(ReferenceRows, 784, (_, _) => (float)random.NextDouble()),
            Matrix<float>.Build.Dense(ReferenceRows, 1, (i, _) => i % 10));
    }

    /// <summary>The reference network: 784-256-128-10, ReLU, ReLU, softmax (FP32).</summary>
    public static Network<float> ReferenceNetwork() =>
        new NetworkBuilder<float>(784).WithSeed(1)
            .AddDense(256, Activations.Activation.ReLU)
            .AddDense(128, Activations.Activation.ReLU)
            .AddDense(10, Activations.Activation.Softmax)
            .Build();
}
