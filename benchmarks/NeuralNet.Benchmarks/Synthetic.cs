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

    /// <summary>The reference network: 784-256-128-10, ReLU, ReLU, softmax (FP32).</summary>
    public static Network<float> ReferenceNetwork() =>
        new NetworkBuilder<float>(784).WithSeed(1)
            .AddDense(256, Activations.Activation.ReLU)
            .AddDense(128, Activations.Activation.ReLU)
            .AddDense(10, Activations.Activation.Softmax)
            .Build();
}
