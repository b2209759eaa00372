using BenchmarkDotNet.Attributes;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>A 784-256 ReLU dense layer on a batch of 128 (FP32): forward (Z = X W + b, ReLU) and backward
/// (ReLU', dW = X^T dZ, db, dX = dZ W^T).</summary>
[MemoryDiagnoser]
public class DenseLayerBenchmarks
{
    public const int Batch = 128, In = 784, Out = 256;
    private DenseLayer<float> _layer = null!;
    private float[] _x = [], _gradient = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = Threads;
        _layer = new DenseLayer<float>(In, Out, Activation.ReLU);
        _layer.Initialize(new RandomSource(1));
        _x = Synthetic.Gaussian(Batch * In, 2);
        _gradient = Synthetic.Gaussian(Batch * Out, 3);
        _layer.Forward(_x, Batch, training: true);
    }

    [Benchmark]
    public float Forward() => _layer.Forward(_x, Batch, training: true)[0];

    [Benchmark]
    public float Backward() => _layer.Backward(_x, _gradient, Batch, computeInputGradient: true)[0];
}
