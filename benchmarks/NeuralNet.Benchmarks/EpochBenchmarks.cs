using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;
using NeuralNet.Losses;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Forward + backward over a whole epoch of 60,000 synthetic samples in batches of 128 (468 full batches and one
/// of 96) for the reference network, FP32. The data are stored batch by batch, column-major, so no gathering is
/// timed; the optimiser update is not included.
/// </summary>
[MemoryDiagnoser]
public class EpochBenchmarks
{
    public const int Samples = 60_000, Batch = 128;
    private Network<float> _network = null!;
    private float[][] _x = [], _y = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = Threads;
        _network = Synthetic.ReferenceNetwork();
        int batches = (Samples + Batch - 1) / Batch;
        _x = new float[batches][];
        _y = new float[batches][];
        for (int i = 0; i < batches; i++)
        {
            int rows = Math.Min(Batch, Samples - i * Batch);
            _x[i] = Synthetic.Gaussian(rows * 784, 100 + i);
            _y[i] = Synthetic.OneHot(rows, 10, i);
        }
    }

    [Benchmark]
    public float Epoch()
    {
        float total = 0;
        for (int i = 0; i < _x.Length; i++)
        {
            total += _network.ComputeGradients(_x[i], _y[i], _y[i].Length / 10, Loss.CategoricalCrossEntropy);
        }

        return total;
    }
}
