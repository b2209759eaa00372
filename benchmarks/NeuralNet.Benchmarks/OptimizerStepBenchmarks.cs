using BenchmarkDotNet.Attributes;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks;

/// <summary>One optimiser step over the parameters of a 784-256-128-10 float network (235,146 scalars).</summary>
[MemoryDiagnoser]
public class OptimizerStepBenchmarks
{
    private IReadOnlyList<Parameter<float>> _parameters = null!;
    private IOptimizer _optimizer = null!;

    [Params("sgd", "momentum", "rmsprop", "adam")]
    public string Optimizer { get; set; } = "adam";

    [GlobalSetup]
    public void Setup()
    {
        // Every thread the machine has, as in a program of its own: an earlier class of the same run may have left 1.
        Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;
        Network<float> network = new NetworkBuilder<float>(784).WithSeed(1).AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(10, Activation.Softmax).Build();
        _parameters = network.Parameters;
        var random = new RandomSource(2);
        foreach (Parameter<float> p in _parameters)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.Gradient[i] = (float)(1e-3 * random.NextGaussian());
            }
        }

        _optimizer = Optimizer switch
        {
            "sgd" => new Sgd(1e-6),
            "momentum" => new Momentum(1e-6),
            "rmsprop" => new RmsProp(1e-6),
            _ => new Adam(1e-6),
        };
        _optimizer.Step(_parameters, 0f);
    }

    [Benchmark]
    public void Step() => _optimizer.Step(_parameters, 0f);
}
