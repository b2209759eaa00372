namespace NeuralNet.Kernels;

/// <summary>Which micro-kernel the packed GEMM runs; <see cref="Auto"/> picks the widest one allowed.</summary>
internal enum GemmPath
{
    /// <summary>AVX-512 when enabled and supported, else AVX2+FMA when supported, else the portable kernel.</summary>
    Auto,

    /// <summary>The packed driver with the portable <c>Vector128</c> micro-kernel (SSE, NEON, or software).</summary>
    Portable,

    /// <summary>The packed driver with the AVX2+FMA <c>Vector256</c> micro-kernel.</summary>
    Avx2,

    /// <summary>The packed driver with the AVX-512F <c>Vector512</c> micro-kernel.</summary>
    Avx512,
}
