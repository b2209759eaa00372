using BenchmarkDotNet.Attributes;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The trainer's row-major copy of its training inputs, 60,000 x 784 floats (188 MB) of a column-major matrix, in bands
/// of 1,024 rows as <c>BatchGatherer</c> makes it, on one thread: the plain register-tiled transpose (half-line stores,
/// each destination line first read from memory) against the streaming one (whole lines, non-temporal stores). Both
/// write the same values to the same places. <c>--filter '*StagingCopy*'</c>.
/// </summary>
public unsafe class StagingCopyBenchmarks
{
    private const int Rows = 60_000, Inputs = 784, Band = 1024;
    private float[] _x = [], _rows = [];

    [GlobalSetup]
    public void Setup()
    {
        _x = LargeArrays.AllocateUninitialized<float>(Rows * Inputs);
        var random = new RandomSource(1);
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)random.NextDouble();
        }

        _rows = LargeArrays.AllocateUninitialized<float>(Rows * Inputs + 16);
        Streaming();
        Plain();
    }

    [Benchmark(Baseline = true)]
    public void Plain()
    {
        fixed (float* x = _x, r = _rows)
        {
            float* d = Aligned(r);
            for (int band = 0; band < Rows; band += Band)
            {
                BlockTranspose.Rows(x + band, Rows, null, 0, Inputs, Math.Min(Band, Rows - band), d + (long)band * Inputs, Inputs);
            }
        }
    }

    [Benchmark]
    public void Streaming()
    {
        fixed (float* x = _x, r = _rows)
        {
            float* d = Aligned(r);
            for (int band = 0; band < Rows; band += Band)
            {
                BlockTranspose.RowsStreaming(x + band, Rows, Inputs, Math.Min(Band, Rows - band), d + (long)band * Inputs, Inputs);
            }
        }
    }

    /// <summary>The first 64-byte boundary in the buffer, as the trainer starts its copy.</summary>
    private static float* Aligned(float* p) => p + (-(nint)p & 63) / sizeof(float);
}
