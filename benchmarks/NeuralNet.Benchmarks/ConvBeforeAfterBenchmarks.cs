#if HAS_BASELINE
extern alias Baseline;

using BenchmarkDotNet.Attributes;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <c>conv2</c> of the FashionCnn sample (32x14x14 → 64x14x14, 3x3, "same", batch 128, FP32; see
/// <see cref="ConvBenchmarks"/>) now and at an earlier commit, in one run: <c>bash benchmarks/build-baseline.sh 3e4bb96</c>,
/// then <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*ConvBeforeAfter*'</c>.
/// </summary>
[MemoryDiagnoser]
public class ConvBeforeAfterBenchmarks
{
    private Conv2DLayer<float> _layer = null!;
    private B.Layers.Conv2DLayer<float> _baseline = null!;
    private float[] _x = [], _gradient = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = Threads;
        B.Kernels.Gemm.MaxDegreeOfParallelism = Threads;
        _layer = new Conv2DLayer<float>(new FeatureShape(32, 14, 14), 64, 3, padding: Padding2D.Same, activation: Activation.ReLU);
        _layer.Initialize(new RandomSource(1));
        _baseline = new B.Layers.Conv2DLayer<float>(
            new B.FeatureShape(32, 14, 14), 64, 3, padding: B.Layers.Padding2D.Same, activation: B.Activations.Activation.ReLU);
        _baseline.Initialize(new B.RandomSource(1));
        _x = Synthetic.Gaussian(ConvBenchmarks.Batch * _layer.InputSize, 2);
        _gradient = Synthetic.Gaussian(ConvBenchmarks.Batch * _layer.OutputSize, 3);
        _layer.Forward(_x, ConvBenchmarks.Batch, training: true);
        _baseline.Forward(_x, ConvBenchmarks.Batch, training: true);
    }

    [Benchmark(Baseline = true)]
    public float ForwardBefore() => _baseline.Forward(_x, ConvBenchmarks.Batch, training: true)[0];

    [Benchmark]
    public float ForwardAfter() => _layer.Forward(_x, ConvBenchmarks.Batch, training: true)[0];

    [Benchmark]
    public float BackwardBefore() => _baseline.Backward(_x, _gradient, ConvBenchmarks.Batch, computeInputGradient: true)[0];

    [Benchmark]
    public float BackwardAfter() => _layer.Backward(_x, _gradient, ConvBenchmarks.Batch, computeInputGradient: true)[0];
}
#endif
