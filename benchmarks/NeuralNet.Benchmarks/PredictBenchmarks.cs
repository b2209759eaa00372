#if HAS_BASELINE
extern alias Baseline;
#endif

using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Kernels;
#if HAS_BASELINE
using B = Baseline::NeuralNet;
#endif

namespace NeuralNet.Benchmarks;

/// <summary>
/// Latency of one sample through the reference 784-256-128-10 network (ReLU, ReLU, softmax), on one thread (one-row
/// products never split): <see cref="Span"/> is <see cref="Network{T}.Predict(ReadOnlySpan{T}, Span{T})"/>,
/// <see cref="MatrixOneRow"/> <see cref="Network{T}.Predict(Matrix{T})"/> of a 1 x 784 matrix (a new result matrix per
/// call). With <c>benchmarks/baseline/NeuralNet.Baseline.dll</c> present (<c>bash benchmarks/build-baseline.sh 3e4bb96</c>)
/// each has a <c>Before</c> twin: the same network, same seed, through the library at that commit, in the same run;
/// set-up checks that both give the same bits.
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter '*PredictBenchmarks*'</c>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class PredictBenchmarks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Network<T> _network = null!;
    private T[] _x = [], _output = new T[10];
    private Matrix<T> _row = null!;
#if HAS_BASELINE
    private B.Network<T> _baseline = null!;
#endif

    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = 1;
        _network = Build();
        float[] gaussian = Synthetic.Gaussian(784, 7);
        _x = new T[gaussian.Length];
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = T.CreateChecked(gaussian[i]);
        }

        _row = Matrix<T>.Build.Dense(1, 784, _x);
        _network.Predict(_x, _output);
#if HAS_BASELINE
        B.Kernels.Gemm.MaxDegreeOfParallelism = 1;
        _baseline = BaselineSynthetic.ReferenceNetwork<T>();
        var before = new T[10];
        _baseline.Predict(_x, before);
        if (!before.AsSpan().SequenceEqual(_output))
        {
            throw new InvalidOperationException("The baseline and the current library disagree on the reference network's output.");
        }
#endif
    }

    /// <summary>One sample through the span overload, the current library.</summary>
    [Benchmark]
    [BenchmarkCategory("span")]
    public T Span()
    {
        _network.Predict(_x, _output);
        return _output[0];
    }

    /// <summary>A one-row matrix through the batch overload, the current library.</summary>
    [Benchmark]
    [BenchmarkCategory("matrix 1 row")]
    public Matrix<T> MatrixOneRow() => _network.Predict(_row);

#if HAS_BASELINE
    /// <summary><see cref="Span"/> through the library at the baseline commit.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("span")]
    public T SpanBefore()
    {
        _baseline.Predict(_x, _output);
        return _output[0];
    }

    /// <summary><see cref="MatrixOneRow"/> through the library at the baseline commit.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("matrix 1 row")]
    public Matrix<T> MatrixOneRowBefore() => _baseline.Predict(_row);
#endif

    private static Network<T> Build() =>
        new NetworkBuilder<T>(784).WithSeed(1)
            .AddDense(256, Activation.ReLU)
            .AddDense(128, Activation.ReLU)
            .AddDense(10, Activation.Softmax)
            .Build();
}
