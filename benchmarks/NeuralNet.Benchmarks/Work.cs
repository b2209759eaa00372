using BenchmarkDotNet.Running;

namespace NeuralNet.Benchmarks;

/// <summary>Floating-point work of each benchmark, read from its type and parameters, for <see cref="GflopsColumn"/>.</summary>
public static class Work
{
    /// <summary>Multiply-adds of one forward pass of the reference 784-256-128-10 network, per sample.</summary>
    public const double ReferenceForwardMacs = 784 * 256 + 256 * 128 + 128 * 10;

    /// <summary>Forward plus backward per sample: forward, every dW, and dX of every layer but the first.</summary>
    public const double ReferenceStepMacs = 2 * ReferenceForwardMacs + 256 * 128 + 128 * 10;

    public static double? Flops(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        string name = type.IsGenericType ? type.GetGenericTypeDefinition().Name : type.Name;
        switch (name)
        {
            case "GemmBenchmarks`1":
            case "GemmBeforeAfterBenchmarks`1":
            case nameof(GemmKernelBenchmarks):
                (int m, int k, int n, _, _) = GemmShape.Parse((string)benchmarkCase.Parameters["Shape"]);
                return 2.0 * m * k * n;
            case nameof(DenseLayerBenchmarks):
                double macs = DenseLayerBenchmarks.Batch * DenseLayerBenchmarks.In * (double)DenseLayerBenchmarks.Out;
                return 2.0 * macs * (benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(DenseLayerBenchmarks.Forward) ? 1 : 2);
            case nameof(ConvBenchmarks):
                double convMacs = ConvBenchmarks.ForwardMacs((string)benchmarkCase.Parameters["Layer"]);
                return 2.0 * convMacs * (benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ConvBenchmarks.Forward) ? 1 : 2);
            case "ConvBeforeAfterBenchmarks":
                bool forward = benchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("Forward", StringComparison.Ordinal);
                return 2.0 * ConvBenchmarks.ForwardMacs("conv2") * (forward ? 1 : 2);
            case nameof(TrainingStepBenchmarks):
                return 2.0 * ReferenceStepMacs * TrainingStepBenchmarks.Batch;
            case nameof(EpochBenchmarks):
                return 2.0 * ReferenceStepMacs * EpochBenchmarks.Samples;
            case nameof(TrainerEpochBenchmarks):
                return 2.0 * ReferenceStepMacs * 60_000;
            case "PredictBenchmarks`1":
                return 2.0 * ReferenceForwardMacs;
            default:
                return null;
        }
    }

    public static bool IsDouble(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type.IsGenericType && benchmarkCase.Descriptor.Type.GetGenericArguments()[0] == typeof(double);

    public static int Threads(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value is int threads ? threads : 1;
}
