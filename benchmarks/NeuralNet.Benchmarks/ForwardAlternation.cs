#if HAS_BASELINE
extern alias Baseline;

using System.Diagnostics;
using NeuralNet.Activations;
using NeuralNet.Kernels;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The training-mode forward pass of a 784-256-128 ReLU network at batch 128, the current library against the baseline
/// DLL, alternated round by round in one process (the order swapping every round) so both see the same load; prints
/// the median and 10th percentile per pass and whether the outputs have the same bits.
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --forward-alternate [threads] [rounds]</c>.
/// </summary>
public static class ForwardAlternation
{
    private const int Batch = 128, PassesPerSample = 50;

    public static void Run(int threads, int rounds)
    {
        Gemm.MaxDegreeOfParallelism = threads;
        Baseline::NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism = threads;
        Network<float> current = new NetworkBuilder<float>(784).WithSeed(1).AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).Build();
        B.Network<float> baseline = new B.NetworkBuilder<float>(784).WithSeed(1)
            .AddDense(256, B.Activations.Activation.ReLU).AddDense(128, B.Activations.Activation.ReLU).Build();
        var random = new Random(1);
        var x = new float[Batch * 784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        var before = new List<double>(rounds);
        var after = new List<double>(rounds);
        for (int round = 0; round < rounds; round++)
        {
            (double b, double a) = InTurn.Run(round, () => Time(() => Forward(baseline, x)), () => Time(() => Forward(current, x)));
            before.Add(b);
            after.Add(a);
        }

        before.Sort();
        after.Sort();
        bool same = Forward(current, x).SequenceEqual(Forward(baseline, x));
        Console.WriteLine(
            $"{threads} thread(s), forward 784-256-128 ReLU, batch {Batch}, {rounds} rounds: before median {before[rounds / 2]:F1} us (p10 {before[rounds / 10]:F1}), " +
            $"after {after[rounds / 2]:F1} us (p10 {after[rounds / 10]:F1}), after / before {after[rounds / 2] / before[rounds / 2]:F3}; same bits: {same}");
    }

    private static double Time(Action pass)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < PassesPerSample; i++)
        {
            pass();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / PassesPerSample;
    }

    private static float[] Forward(Network<float> network, float[] x) =>
        network.Layers[1].Forward(network.Layers[0].Forward(x, Batch, training: true), Batch, training: true).ToArray();

    private static float[] Forward(B.Network<float> network, float[] x) =>
        network.Layers[1].Forward(network.Layers[0].Forward(x, Batch, training: true), Batch, training: true).ToArray();
}
#endif
