using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>One training epoch of a 784-256-128-10 float network with Adam on 4,096 synthetic rows, batches of 64:
/// the whole trainer loop (gather, forward, backward, step, finiteness checks).</summary>
[MemoryDiagnoser]
public class TrainerEpochBenchmarks
{
    private Network<float> _network = null!;
    private Matrix<float> _x = null!, _y = null!;
    private Trainer<float> _trainer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = new NetworkBuilder<float>(784).WithSeed(1).AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(10, Activation.Softmax).Build();
        var random = new RandomSource(2);
        _x = Matrix<float>.Build.Dense(4096, 784, (_, _) => (float)random.NextDouble());
        _y = Matrix<float>.Build.Dense(4096, 1, (i, _) => i % 10);
        _trainer = new Trainer<float>(new TrainerOptions { Epochs = 1, BatchSize = 64, Optimizer = new Adam(1e-3), Loss = Loss.SparseCategoricalCrossEntropy });
    }

    [Benchmark]
    public TrainingHistory Epoch() => _trainer.Fit(_network, _x, _y);
}
