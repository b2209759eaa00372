using System.Numerics;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <c>C = op(A) op(B)</c> with <c>op(A)</c> m x k and <c>op(B)</c> k x n: our <see cref="Gemm"/> against MathNet's
/// default (managed) provider through <c>Multiply</c>, <c>TransposeThisAndMultiply</c>, <c>TransposeAndMultiply</c>.
/// The first three shapes are the products of a 784-256 dense layer on a batch of 128 (Z = X W, dW = X^T dZ,
/// dX = dZ W^T).
/// </summary>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class GemmBenchmarks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T> _a = null!, _b = null!, _c = null!;
    private T[] _aArray = [], _bArray = [], _cArray = [];
    private int _m, _n, _k;
    private bool _ta, _tb;

    [Params("128x784x256", "784x128x256 A^T", "128x256x784 B^T", "128x256x10", "512x512x512", "1024x1024x1024")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n, _ta, _tb) = GemmShape.Parse(Shape);
        var random = new Random(1);
        _a = _ta ? Random(_k, _m, random) : Random(_m, _k, random);
        _b = _tb ? Random(_n, _k, random) : Random(_k, _n, random);
        _c = Matrix<T>.Build.Dense(_m, _n);
        _aArray = _a.AsColumnMajorArray();
        _bArray = _b.AsColumnMajorArray();
        _cArray = _c.AsColumnMajorArray();
        Gemm.MaxDegreeOfParallelism = Threads;
        Control.MaxDegreeOfParallelism = Threads;
        Control.UseManaged();
    }

    [Benchmark(Baseline = true)]
    public void MathNet()
    {
        if (_ta)
        {
            _a.TransposeThisAndMultiply(_b, _c);
        }
        else if (_tb)
        {
            _a.TransposeAndMultiply(_b, _c);
        }
        else
        {
            _a.Multiply(_b, _c);
        }
    }

    [Benchmark]
    public void NeuralNet() =>
        Gemm.Multiply(_ta, _tb, _m, _n, _k, T.One, _aArray, _ta ? _k : _m, _bArray, _tb ? _n : _k, T.Zero, _cArray, _m);

    private static Matrix<T> Random(int rows, int columns, Random random) =>
        Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(random.NextDouble() - 0.5));
}
