using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>The AVX2 micro-kernel against the AVX-512 one on the same FP32 products, one thread, in the same run.
/// On a CPU without AVX-512F both rows run the AVX2 kernel.</summary>
[MemoryDiagnoser]
public class GemmKernelBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;

    /// <summary>The setting before this class changed it, restored afterwards: the classes that run after this one in
    /// the same process must keep the default kernel (a cleanup that set it to false left every later class of a full
    /// run on the AVX2 kernel).</summary>
    private bool _enableAvx512Before;

    [Params("128x784x256", "512x512x512")]
    public string Shape { get; set; } = "";

    [Params("avx2", "avx512")]
    public string Kernel { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n, _, _) = GemmShape.Parse(Shape);
        var random = new Random(1);
        _a = Enumerable.Range(0, _m * _k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        _c = new float[_m * _n];
        Gemm.MaxDegreeOfParallelism = 1;
        _enableAvx512Before = Gemm.EnableAvx512;
        Gemm.EnableAvx512 = Kernel == "avx512";
    }

    [GlobalCleanup]
    public void Cleanup() => Gemm.EnableAvx512 = _enableAvx512Before;

    [Benchmark]
    public void Multiply() => Gemm.Multiply(false, false, _m, _n, _k, 1f, _a, _m, _b, _k, 0f, _c, _m);
}
