using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>Latency of one sample through the reference network with
/// <see cref="Network{T}.Predict(ReadOnlySpan{T}, Span{T})"/> (FP32, one thread: one-row products never split).
/// <see cref="Kernel"/> compares, in one run, the earlier one-row products (<c>dot-loop</c>: one
/// <c>TensorPrimitives.Dot</c> per weight column, the reference loop for the 128x10 layer) with the four-column row
/// kernel (<c>row</c>).</summary>
[MemoryDiagnoser]
public class PredictBenchmarks
{
    private Network<float> _network = null!;
    private float[] _x = [], _output = new float[10];

    /// <summary><c>dot-loop</c> (the earlier path) or <c>row</c>.</summary>
    [Params("dot-loop", "row")]
    public string Kernel { get; set; } = "row";

    [GlobalSetup]
    public void Setup()
    {
        Gemm.RowProductDotLoop = Kernel == "dot-loop";
        Gemm.MaxDegreeOfParallelism = 1;
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
