#if HAS_BASELINE
extern alias Baseline;

using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One Adam or Momentum step over the 784-256-128-10 parameters (235,146 floats) now and at an earlier commit, in one
/// run, where 38 of the first layer's 256 units are dead (zero gradient) and their decaying state (Adam's first moment,
/// the velocity) starts subnormal, as a unit that stopped learning leaves it: <c>bash benchmarks/build-baseline.sh COMMIT</c>, then
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*SubnormalState*'</c>.
/// Compiled only when <c>benchmarks/baseline/NeuralNet.Baseline.dll</c> exists.
/// </summary>
[MemoryDiagnoser]
public class SubnormalStateBeforeAfterBenchmarks
{
    private const int DeadUnits = 38;
    private IReadOnlyList<Parameter<float>> _parameters = null!;
    private IReadOnlyList<B.Layers.Parameter<float>> _baselineParameters = null!;
    private Optimizer _optimizer = null!;
    private B.Optimizers.Optimizer _baselineOptimizer = null!;

    [Params("adam", "momentum")]
    public string Optimizer { get; set; } = "adam";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = Threads;
        B.Kernels.Gemm.MaxDegreeOfParallelism = Threads;
        _parameters = Synthetic.ReferenceNetwork().Parameters;
        _baselineParameters = BaselineSynthetic.ReferenceNetwork<float>().Parameters;
        var random = new RandomSource(2);
        bool adam = Optimizer == "adam";
        var moments = new double[(adam ? 2 : 1) * _parameters.Count][];
        for (int p = 0; p < _parameters.Count; p++)
        {
            int length = _parameters[p].Length;
            moments[p] = new double[length];
            if (adam)
            {
                moments[_parameters.Count + p] = new double[length];
            }

            for (int i = 0; i < length; i++)
            {
                // W1 is [784 x 256] column by column: the first DeadUnits columns are the dead units.
                bool dead = p == 0 && i < DeadUnits * 784;
                float g = dead ? 0f : (float)(1e-3 * random.NextGaussian());
                _parameters[p].Gradient[i] = g;
                _baselineParameters[p].Gradient[i] = g;
                moments[p][i] = dead ? 1e-40 : 1e-4 * random.NextGaussian();
                if (adam)
                {
                    moments[_parameters.Count + p][i] = 1e-6;
                }
            }
        }

        _optimizer = adam ? new Adam(1e-6) : new Momentum(1e-6);
        _optimizer.ImportState(new OptimizerState(Optimizer, 1000, moments, []));
        _baselineOptimizer = adam ? new B.Optimizers.Adam(1e-6) : new B.Optimizers.Momentum(1e-6);
        _baselineOptimizer.ImportState(new B.Optimizers.OptimizerState(Optimizer, 1000, moments, []));
    }

    [Benchmark(Baseline = true)]
    public void Before() => _baselineOptimizer.Step(_baselineParameters, 0f);

    [Benchmark]
    public void After() => _optimizer.Step(_parameters, 0f);
}
#endif
