using NeuralNet.Kernels;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>Process-wide choices of one run (the benchmarks run in process, so Program sets these before them).</summary>
public static class Settings
{
    /// <summary>Rows of the CNN epoch: a fixed subset of the training set keeps the run to minutes.</summary>
    public static int CnnRows { get; set; } = 12_000;

    /// <summary>
    /// Threads for both libraries: torch's intra-op pool (<c>torch.set_num_threads</c>; its inter-op pool is set to 1 once
    /// at start-up) and NeuralNet's <see cref="Gemm.MaxDegreeOfParallelism"/>, which bounds the GEMM and the convolution
    /// window kernels. <c>TrainerOptions</c> has no thread setting of its own, so the process-wide one is used.
    /// </summary>
    public static void UseThreads(int threads)
    {
        Gemm.MaxDegreeOfParallelism = threads;
        torch.set_num_threads(threads);
    }
}
