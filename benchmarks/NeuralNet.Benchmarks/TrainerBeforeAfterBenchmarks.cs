#if HAS_BASELINE
extern alias Baseline;

using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The reference epoch through <c>Trainer.Fit</c> (784-256-128-10 float, Adam, batches of 128, 60,000 synthetic rows,
/// five epochs per invocation) with the current library and with the library at an earlier commit, in one run:
/// <c>bash benchmarks/build-baseline.sh a42ede8</c>, then
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*TrainerBeforeAfter*'</c>.
/// Compiled only when <c>benchmarks/baseline/NeuralNet.Baseline.dll</c> exists.
/// </summary>
[MemoryDiagnoser]
public class TrainerBeforeAfterBenchmarks
{
    private const int EpochsPerFit = 5;
    private Network<float> _network = null!;
    private Trainer<float> _trainer = null!;
    private Matrix<float> _x = null!, _y = null!;
    private B.Network<float> _baselineNetwork = null!;
    private B.Training.Trainer<float> _baselineTrainer = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Every thread the machine has, as in a program of its own: an earlier class of the same run may have left 1.
        Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;
        B.Kernels.Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;
        (_x, _y) = Synthetic.ReferenceData();
        _network = Synthetic.ReferenceNetwork();
        _trainer = new Trainer<float>(new TrainerOptions { Epochs = EpochsPerFit, BatchSize = 128, Optimizer = new Adam(1e-3), Loss = Loss.SparseCategoricalCrossEntropy });
        _baselineNetwork = BaselineSynthetic.ReferenceNetwork<float>();
        _baselineTrainer = new B.Training.Trainer<float>(new B.Training.TrainerOptions
        {
            Epochs = EpochsPerFit, BatchSize = 128, Optimizer = new B.Optimizers.Adam(1e-3), Loss = B.Losses.Loss.SparseCategoricalCrossEntropy,
        });
    }

    /// <summary>Median time of one epoch, the current library.</summary>
    [Benchmark(OperationsPerInvoke = EpochsPerFit)]
    public object After() => _trainer.Fit(_network, _x, _y);

    /// <summary>Median time of one epoch, the library at the baseline commit.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EpochsPerFit)]
    public object Before() => _baselineTrainer.Fit(_baselineNetwork, _x, _y);
}
#endif
