using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>The reference epoch through the whole trainer: a 784-256-128-10 float network with Adam on 60,000 synthetic
/// rows, batches of 128 (gather, forward, backward, optimiser step, finiteness checks). One invocation fits five epochs,
/// so the once-per-fit set-up (the row-major copy of the data) is amortised as it is in real training.</summary>
[MemoryDiagnoser]
public class TrainerEpochBenchmarks
{
    private Network<float> _network = null!;
    private Matrix<float> _x = null!, _y = null!;
    private Trainer<float> _trainer = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Every thread the machine has, as in a program of its own: an earlier class of the same run may have left 1.
        Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;
        _network = Synthetic.ReferenceNetwork();
        (_x, _y) = Synthetic.ReferenceData();
        _trainer = new Trainer<float>(new TrainerOptions { Epochs = EpochsPerFit, BatchSize = 128, Optimizer = new Adam(1e-3), Loss = Loss.SparseCategoricalCrossEntropy });
    }

    private const int EpochsPerFit = 5;

    /// <summary>Median time of one epoch.</summary>
    [Benchmark(OperationsPerInvoke = EpochsPerFit)]
    public TrainingHistory Epoch() => _trainer.Fit(_network, _x, _y);
}
