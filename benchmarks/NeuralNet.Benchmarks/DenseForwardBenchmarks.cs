using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;

namespace NeuralNet.Benchmarks;

/// <summary>The dense layer's product <c>Z = X · W</c> (128 x 784 times 784 x 256), ours against MathNet's.</summary>
[MemoryDiagnoser]
public class DenseForwardBenchmarks
{
    private Network<float> _network = null!;
    private Matrix<float> _x = null!;
    private Matrix<float> _w = null!;
    private Matrix<float> _z = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = new NetworkBuilder<float>(784).WithSeed(1).AddDense(256, Activation.Identity).Build();
        var random = new RandomSource(2);
        _x = Matrix<float>.Build.Dense(128, 784, (_, _) => (float)random.NextGaussian());
        _w = Matrix<float>.Build.Dense(784, 256, (_, _) => (float)random.NextGaussian());
        _z = Matrix<float>.Build.Dense(128, 256);
    }

    [Benchmark(Baseline = true)]
    public void MathNetMultiply() => _x.Multiply(_w, _z);

    [Benchmark]
    public Matrix<float> DenseLayerPredict() => _network.Predict(_x);
}
