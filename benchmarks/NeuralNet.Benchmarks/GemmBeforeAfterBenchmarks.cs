#if HAS_BASELINE
extern alias Baseline;

using System.Numerics;
using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;
using B = Baseline::NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <see cref="Gemm.Multiply{T}"/> now and at an earlier commit, in one run, on the three products of a 784-256 dense
/// layer at batch 128 (Z = X W, dW = X^T dZ, dX = dZ W^T) and 1024^3:
/// <c>bash benchmarks/build-baseline.sh 3e4bb96</c>, then
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*GemmBeforeAfter*'</c>.
/// Compiled only when <c>benchmarks/baseline/NeuralNet.Baseline.dll</c> exists.
/// </summary>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class GemmBeforeAfterBenchmarks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;
    private bool _ta, _tb;

    [Params("128x784x256", "784x128x256 A^T", "128x256x784 B^T", "1024x1024x1024")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n, _ta, _tb) = GemmShape.Parse(Shape);
        var random = new Random(1);
        _a = Random(_m * _k, random);
        _b = Random(_k * _n, random);
        _c = new T[_m * _n];
        Gemm.MaxDegreeOfParallelism = Threads;
        B.Gemm.MaxDegreeOfParallelism = Threads;
    }

    [Benchmark(Baseline = true)]
    public void Before() =>
        B.Gemm.Multiply(_ta, _tb, _m, _n, _k, T.One, _a, _ta ? _k : _m, _b, _tb ? _n : _k, T.Zero, _c, _m);

    [Benchmark]
    public void After() =>
        Gemm.Multiply(_ta, _tb, _m, _n, _k, T.One, _a, _ta ? _k : _m, _b, _tb ? _n : _k, T.Zero, _c, _m);

    private static T[] Random(int length, Random random)
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        return values;
    }
}
#endif
