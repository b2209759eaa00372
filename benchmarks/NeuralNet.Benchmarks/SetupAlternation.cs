#if HAS_BASELINE
extern alias Baseline;

using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <c>Fit</c>'s set-up on the reference data (60,000 x 784 floats): a fit cancelled before its first batch, each with a
/// new trainer (as a program that builds one per model does), the baseline and the current library in turn (order
/// flipped every round), then the current library's trainer fitted again. The process's first fit of each library is
/// printed apart (it also compiles the code and takes fresh memory).
/// <c>dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --setup-alternate [rounds] [split]</c>; with
/// <c>split</c> the fits hold out 10% of the rows for validation and report accuracy (Keras' <c>validation_split=0.1</c>,
/// <c>metrics=["accuracy"]</c>).
/// </summary>
public static class SetupAlternation
{
    public static void Run(int rounds, bool split)
    {
        (Matrix<float> x, Matrix<float> y) = Synthetic.ReferenceData();
        Network<float> network = Synthetic.ReferenceNetwork();
        B.Network<float> baselineNetwork = BaselineSynthetic.ReferenceNetwork<float>();
        var options = new TrainerOptions
        {
            Epochs = 1, BatchSize = 128, Optimizer = new Adam(1e-3), Loss = Loss.SparseCategoricalCrossEntropy,
            ValidationFraction = split ? 0.1 : 0, Metrics = split ? [NeuralNet.Metrics.Metric.Accuracy] : [],
        };
        var baselineOptions = new B.Training.TrainerOptions
        {
            Epochs = 1, BatchSize = 128, Optimizer = new B.Optimizers.Adam(1e-3), Loss = B.Losses.Loss.SparseCategoricalCrossEntropy,
            ValidationFraction = split ? 0.1 : 0, Metrics = split ? [B.Metrics.Metric.Accuracy] : [],
        };
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        double Before() => Time(() => new B.Training.Trainer<float>(baselineOptions).Fit(baselineNetwork, x, y, (IProgress<B.Training.EpochReport>?)null, cancelled.Token));
        double After() => Time(() => new Trainer<float>(options).Fit(network, x, y, (IProgress<EpochReport>?)null, cancelled.Token));
        Console.WriteLine($"first fit of the process: before {Before():F1} ms, after {After():F1} ms");
        var before = new double[rounds];
        var after = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            (before[round], after[round]) = InTurn.Run(round, Before, After);
            Console.WriteLine($"round {round + 1}: new trainer, before {before[round]:F1} ms, after {after[round]:F1} ms");
        }

        var trainer = new Trainer<float>(options);
        var again = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            again[round] = Time(() => trainer.Fit(network, x, y, (IProgress<EpochReport>?)null, cancelled.Token));
        }

        Array.Sort(before);
        Array.Sort(after);
        Array.Sort(again);
        Console.WriteLine($"median set-up with a new trainer: before {before[rounds / 2]:F1} ms, after {after[rounds / 2]:F1} ms; " +
            $"the same trainer again (after): {again[rounds / 2]:F1} ms");
    }

    private static double Time(Action fit)
    {
        long start = Stopwatch.GetTimestamp();
        fit();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
#endif
