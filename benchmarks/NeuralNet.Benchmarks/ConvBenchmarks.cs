using BenchmarkDotNet.Attributes;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The two convolutions of the FashionCnn sample on a batch of 128 (FP32, 3x3 kernels, "same" padding, ReLU):
/// <c>conv1</c> 1x28x28 → 32x28x28 and <c>conv2</c> 32x14x14 → 64x14x14. Forward is im2col, <c>Z = col · W</c>, bias and
/// ReLU; backward is ReLU', <c>db</c>, <c>dW = colᵀ · dZ</c>, <c>dcol = dZ · Wᵀ</c> and col2im.
/// </summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    public const int Batch = 128;
    private Conv2DLayer<float> _layer = null!;
    private float[] _x = [], _gradient = [];

    [Params("conv1", "conv2")]
    public string Layer { get; set; } = "conv2";

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Multiply-adds of one forward product <c>col · W</c>: <c>OH·OW·batch x C·KH·KW x F</c>.</summary>
    public static double ForwardMacs(string layer) => layer == "conv1"
        ? 28.0 * 28 * Batch * (1 * 9) * 32
        : 14.0 * 14 * Batch * (32 * 9) * 64;

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = Threads;
        _layer = Layer == "conv1"
            ? new Conv2DLayer<float>(new FeatureShape(1, 28, 28), 32, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            : new Conv2DLayer<float>(new FeatureShape(32, 14, 14), 64, 3, padding: Padding2D.Same, activation: Activation.ReLU);
        _layer.Initialize(new RandomSource(1));
        _x = Synthetic.Gaussian(Batch * _layer.InputSize, 2);
        _gradient = Synthetic.Gaussian(Batch * _layer.OutputSize, 3);
        _layer.Forward(_x, Batch, training: true);
    }

    [Benchmark]
    public float Forward() => _layer.Forward(_x, Batch, training: true)[0];

    /// <summary>Backward with the input gradient (two products, each as large as the forward one).</summary>
    [Benchmark]
    public float Backward() => _layer.Backward(_x, _gradient, Batch, computeInputGradient: true)[0];
}
