#if HAS_BASELINE
extern alias Baseline;

using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One-epoch fits of the FashionCnn network (conv 32 3x3 same - max pool 2 - conv 64 3x3 same - max pool 2 - dense 128 -
/// dropout 0.3 - softmax, batch 64, Adam 0.0015, two threads) on 12,000 synthetic 28x28 images, alternating the baseline
/// build and the current one round by round, as <see cref="TrainerAlternation"/> does for the MLP:
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --cnn-alternate [rounds]</c>.
/// </summary>
public static class CnnAlternation
{
    private const int Rows = 12_000;

    public static void Run(int rounds)
    {
        Kernels.Gemm.MaxDegreeOfParallelism = 2;
        Baseline::NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism = 2;
        var random = new RandomSource(3);
        Matrix<float> x = Matrix<float>.Build.Dense(Rows, 784, (_, _) => (float)random.NextDouble());
        Matrix<float> y = Matrix<float>.Build.Dense(Rows, 1, (i, _) => i % 10);
        Network<float> network = new NetworkBuilder<float>(new FeatureShape(1, 28, 28)).WithSeed(42)
            .AddConv2D(32, 3, padding: Padding2D.Same, activation: Activation.ReLU).AddMaxPool2D(2)
            .AddConv2D(64, 3, padding: Padding2D.Same, activation: Activation.ReLU).AddMaxPool2D(2)
            .AddFlatten().AddDense(128, Activation.ReLU).AddDropout(0.3).AddDense(10, Activation.Softmax).Build();
        B.Network<float> baselineNetwork = new B.NetworkBuilder<float>(new B.FeatureShape(1, 28, 28)).WithSeed(42)
            .AddConv2D(32, 3, padding: B.Layers.Padding2D.Same, activation: B.Activations.Activation.ReLU).AddMaxPool2D(2)
            .AddConv2D(64, 3, padding: B.Layers.Padding2D.Same, activation: B.Activations.Activation.ReLU).AddMaxPool2D(2)
            .AddFlatten().AddDense(128, B.Activations.Activation.ReLU).AddDropout(0.3).AddDense(10, B.Activations.Activation.Softmax).Build();
        var trainer = new Trainer<float>(new TrainerOptions { Epochs = 1, BatchSize = 64, Seed = 42, Optimizer = new Adam(0.0015), Loss = Loss.SparseCategoricalCrossEntropy });
        var baselineTrainer = new B.Training.Trainer<float>(new B.Training.TrainerOptions
        {
            Epochs = 1, BatchSize = 64, Seed = 42, Optimizer = new B.Optimizers.Adam(0.0015), Loss = B.Losses.Loss.SparseCategoricalCrossEntropy,
        });
        var ratios = new List<double>();
        var before = new List<double>();
        var after = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            (double b, double a) = InTurn.Run(
                round,
                () => TimeFit(() => baselineTrainer.Fit(baselineNetwork, x, y)),
                () => TimeFit(() => trainer.Fit(network, x, y)));
            if (round == 0)
            {
                continue; // warm-up: compilation and the first fit's fresh buffers
            }

            before.Add(b);
            after.Add(a);
            ratios.Add(a / b);
            Console.WriteLine($"round {round}: before {b:F0} ms, after {a:F0} ms");
        }

        before.Sort();
        after.Sort();
        ratios.Sort();
        Console.WriteLine($"median per epoch: before {before[before.Count / 2]:F1} ms, after {after[after.Count / 2]:F1} ms; median of per-round ratios after/before {ratios[ratios.Count / 2]:F3}");
    }

    private static double TimeFit(Action fit)
    {
        long t0 = Stopwatch.GetTimestamp();
        fit();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
}
#endif
