using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>Latency of one sample through the reference network with
/// <see cref="Network{T}.Predict(ReadOnlySpan{T}, Span{T})"/> (FP32, single thread: a 1-row product never splits).</summary>
[MemoryDiagnoser]
public class PredictBenchmarks
{
    private Network<float> _network = null!;
    private float[] _x = [], _output = new float[10];

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = 1;
        _network = Synthetic.ReferenceNetwork();
        _x = Synthetic.Gaussian(784, 7);
        _network.Predict(_x, _output);
    }

    [Benchmark]
    public float PredictOne()
    {
        _network.Predict(_x, _output);
        return _output[0];
    }
}
