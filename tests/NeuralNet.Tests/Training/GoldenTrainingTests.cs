using System.Security.Cryptography;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
/// <remarks>
/// The bits depend on the vector width the machine runs: the GEMM's micro-kernel and <c>TensorPrimitives</c>' sums
/// and transcendental functions group their operations by vector. So there is one pair of hashes for 512-bit machines
/// (AVX-512; the pair that passed on Zen 5) and one for 256-bit ones (AVX2 without AVX-512: recorded on Zen 3).
/// Any other configuration (a CPU with AVX-512 whose runtime does not accelerate <see cref="Vector512"/>, say) has no
/// recorded hash; there the test checks that two runs give the same bits.
/// </remarks>
public class GoldenTrainingTests
{
    private const string DoubleHash512 = "3D7B49D782A383CFBDC92AF9DF9F60F094B437D483AC7893483B89C65D81C4A7";
    private const string FloatHash512 = "16A587E7CC9E9C79A6BF73C9A7077722315BE9C6D072B00E31239812BF9DB35D";
    private const string DoubleHash256 = "2F1609A05C7EE420A615EEB012008343F23F417FA45629C6DC8EEA76464C7D87";
    private const string FloatHash256 = "2114C79DF067AB92522A8A3AE775C4C6F7AF68F8679423179B99211643C56024";

    [Fact]
    public void Fit_SeededRunInDouble_MatchesRecordedWeights() => Hash<double>().Should().Be(Expected<double>(DoubleHash512, DoubleHash256));

    [Fact]
    public void Fit_SeededRunInFloat_MatchesRecordedWeights() => Hash<float>().Should().Be(Expected<float>(FloatHash512, FloatHash256));

    /// <summary>The recorded hash for this machine's vector width, or a second run's hash where none was recorded.</summary>
    private static string Expected<T>(string hash512, string hash256) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        bool wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated && NeuralNet.Kernels.Gemm.EnableAvx512;
        bool narrow = !Avx512F.IsSupported && !Vector512.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;
        return wide ? hash512 : narrow ? hash256 : Hash<T>();
    }

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
