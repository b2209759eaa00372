using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>Latency of one sample through the reference network with
/// <see cref="Network{T}.Predict(ReadOnlySpan{T}, Span{T})"/> (FP32). <see cref="Kernel"/> compares, in one run, the
/// earlier one-row product (<c>dot-loop</c>: one <c>TensorPrimitives.Dot</c> per weight column, always one thread)
/// with the four-column row kernel (<c>row</c>), which splits the large layers by columns over the threads.</summary>
[MemoryDiagnoser]
public class PredictBenchmarks
{
    private Network<float> _network = null!;
    private float[] _x = [], _output = new float[10];

    /// <summary><c>dot-loop</c> (the earlier path) or <c>row</c>.</summary>
    [Params("dot-loop", "row")]
    public string Kernel { get; set; } = "row";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        Gemm.RowProductDotLoop = Kernel == "dot-loop";
        Gemm.MaxDegreeOfParallelism = Threads;
        _network = Synthetic.ReferenceNetwork();
        _x = Synthetic.Gaussian(784, 7);
        _network.Predict(_x, _output);
    }

    [GlobalCleanup]
    public void Cleanup() => Gemm.RowProductDotLoop = false;

    [Benchmark]
    public float PredictOne()
    {
        _network.Predict(_x, _output);
        return _output[0];
    }
}
