using System.Security.Cryptography;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Golden runs: the SHA-256 of every parameter and buffer after a fixed, seeded training run (dense, dropout and batch
/// norm; Adam, L2, clipping, a schedule, validation). The hashes were recorded before the training loop was split
/// into its reusable parts; any change to the arithmetic or its order changes them.
/// </summary>
public class GoldenTrainingTests
{
    private const string DoubleHash = "3D7B49D782A383CFBDC92AF9DF9F60F094B437D483AC7893483B89C65D81C4A7";
    private const string FloatHash = "16A587E7CC9E9C79A6BF73C9A7077722315BE9C6D072B00E31239812BF9DB35D";

    [Fact]
    public void Fit_SeededRunInDouble_MatchesRecordedWeights() => Hash<double>().Should().Be(DoubleHash);

    [Fact]
    public void Fit_SeededRunInFloat_MatchesRecordedWeights() => Hash<float>().Should().Be(FloatHash);

    private static string Hash<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new RandomSource(5);
        const int Rows = 150;
        Matrix<T> x = Matrix<T>.Build.Dense(Rows, 6);
        Matrix<T> y = Matrix<T>.Build.Dense(Rows, 3);
        for (int i = 0; i < Rows; i++)
        {
            double s = 0;
            for (int j = 0; j < 6; j++)
            {
                double v = random.NextGaussian();
                x[i, j] = T.CreateTruncating(v);
                s += v * (j + 1);
            }

            y[i, s < -1 ? 0 : s < 1 ? 1 : 2] = T.One;
        }

        Network<T> network = new NetworkBuilder<T>(6).WithSeed(17)
            .AddDense(12, Activation.ReLU).AddBatchNorm().AddDropout(0.25)
            .AddDense(8, Activation.Tanh).AddDense(3, Activation.Softmax).Build();
        var trainer = new Trainer<T>(new TrainerOptions
        {
            Epochs = 6, BatchSize = 16, Seed = 23, ValidationFraction = 0.2, L2 = 1e-3, GradientClipNorm = 1.0,
            Optimizer = new Adam(0.01), Schedule = new StepSchedule(2, 0.5), Loss = Loss.CategoricalCrossEntropy,
        });
        trainer.Fit(network, x, y);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Layer<T> layer in network.Layers)
        {
            foreach (Parameter<T> p in layer.Parameters.Concat(layer.Buffers))
            {
                sha.AppendData(MemoryMarshal.AsBytes<T>(p.Value));
            }
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
