using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;
using NeuralNet.Losses;

namespace NeuralNet.Benchmarks;

/// <summary>One training step of the reference network (forward + backward through
/// <see cref="Network{T}.ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, int, ILoss)"/>), batch 128, FP32.</summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    public const int Batch = 128;
    private Network<float> _network = null!;
    private float[] _x = [], _y = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = Threads;
        _network = Synthetic.ReferenceNetwork();
        _x = Synthetic.Gaussian(Batch * 784, 5);
        _y = Synthetic.OneHot(Batch, 10, 0);
        _network.ComputeGradients(_x, _y, Batch, Loss.CategoricalCrossEntropy);
    }

    [Benchmark]
    public float Step() => _network.ComputeGradients(_x, _y, Batch, Loss.CategoricalCrossEntropy);
}
