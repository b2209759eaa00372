using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuralNet.Activations;
using NeuralNet.Distributed;
using NeuralNet.Distributed.Data;
using NeuralNet.Distributed.Hosting;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Samples.Distributed;

/// <summary>Steps per second and bytes per step of synchronous training of the reference network (784-256-128-10,
/// float, global batch 128, Adam) for 1 to 4 workers, with the silos in this process and in separate processes, beside
/// single-node training: medians of per-step wall times (first 5 steps skipped, and one discarded warm-up job per
/// layout so that every silo runs JIT-optimised code).</summary>
internal static class Benchmark
{
    private const int Batch = 128, Features = 784, Classes = 10, Warmup = 5;

    public static async Task<int> RunAsync(int steps, string? redis)
    {
        int rows = Batch * steps;
        string argument = BlobsDataSource.Argument(rows, Features, Classes, 1);
        Network<float> NewNetwork() => new NetworkBuilder<float>(Features).WithSeed(1)
            .AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(Classes, Activation.Softmax).Build();
        TrainerOptions Options() => new() { Epochs = 1, BatchSize = Batch, Seed = 1, Optimizer = new Adam(0.001), Loss = Loss.SparseCategoricalCrossEntropy };
        Console.WriteLine($"Reference network 784-256-128-10 (float, {NewNetwork().ParameterSet.Length:N0} parameters), global batch {Batch}, {steps} steps per run, {Environment.ProcessorCount} cores.");

        // Single node.
        TrainingData<float> data = BlobsDataSource.Generate<float>(rows, Features, Classes, 1);
        var times = new List<long>();
        new Trainer<float>(Options()).Fit(NewNetwork(), data.X, data.Y, null, null, onBatch: _ => times.Add(Stopwatch.GetTimestamp()));
        double single = Median(times);
        Console.WriteLine($"single node: median {single * 1e3:F2} ms/step ({1 / single:F1} steps/s)");
        Console.WriteLine();
        Console.WriteLine("layout       workers  ms/step  steps/s  KiB/step  compute ms/step/worker  overhead ms/step");

        // Silos hosted in this process.
        string cluster = $"bench-{Environment.ProcessId}";
        int primary = SiloProcesses.FreePort();
        var inProcess = new DistributedClusterSettings { ClusterId = cluster + "-in", ServiceId = cluster + "-in", PrimarySiloPort = primary, FastFailureDetection = true };
        var hosts = new List<IHost>();
        var gateways = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            int siloPort = i == 0 ? primary : SiloProcesses.FreePort(), gateway = SiloProcesses.FreePort();
            gateways.Add(gateway);
            IHost host = Host.CreateDefaultBuilder().ConfigureLogging(l => l.ClearProviders())
                .UseOrleans(s => s.ConfigureTrainingSilo(inProcess, $"silo{i}", siloPort, gateway)).Build();
            await host.StartAsync();
            hosts.Add(host);
        }

        await MeasureAsync("in-process", inProcess with { GatewayPorts = gateways });
        foreach (IHost host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        // Silos in separate processes.
        using (var silos = new SiloProcesses())
        {
            silos.Start(4, cluster + "-proc", redis);
            await MeasureAsync("processes", new DistributedClusterSettings
            {
                ClusterId = cluster + "-proc", ServiceId = cluster + "-proc", Redis = redis, PrimarySiloPort = silos.PrimaryPort, GatewayPorts = silos.GatewayPorts, FastFailureDetection = true,
            });
        }

        return 0;

        async Task MeasureAsync(string layout, DistributedClusterSettings settings)
        {
            using IHost clientHost = Host.CreateDefaultBuilder().ConfigureLogging(l => l.ClearProviders())
                .UseOrleansClient(c => c.ConfigureTrainingClient(settings)).Build();
            await clientHost.StartAsync();
            IClusterClient client = clientHost.Services.GetRequiredService<IClusterClient>();
            // Warm-up job on all four silos, discarded: a fresh silo process runs its first calls in tier-0 JIT code.
            await new DistributedTrainer<float>(client, new DistributedTrainerOptions
            {
                JobId = $"bench-{layout}-warmup", Trainer = Options(), Data = new DataSourceReference(BlobsDataSource.SourceName, argument),
                CheckpointEvery = 1_000_000,
            }).FitAsync(NewNetwork());
            for (int n = 1; n <= 4; n++)
            {
                var stamps = new List<long>();
                var trainer = new DistributedTrainer<float>(client, new DistributedTrainerOptions
                {
                    JobId = $"bench-{layout}-{n}", Trainer = Options(), Data = new DataSourceReference(BlobsDataSource.SourceName, argument),
                    Workers = n, WorkerSilos = Enumerable.Range(0, n).Select(i => $"silo{i}").ToList(), CheckpointEvery = 1_000_000,
                });
                DistributedTrainingResult result = await trainer.FitAsync(NewNetwork(), onBatch: _ => stamps.Add(Stopwatch.GetTimestamp()));
                double median = Median(stamps);
                double bytes = result.Epochs[0].BytesPerStep;
                double compute = result.Workers.Where(w => w.Steps > 0).Average(w => w.ComputeSeconds / w.Steps);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{layout,-12} {n,7}  {median * 1e3,7:F2}  {1 / median,7:F1}  {bytes / 1024,8:F0}  {compute * 1e3,22:F2}  {(median - single) * 1e3,16:F2}"));
            }

            await clientHost.StopAsync();
        }
    }

    /// <summary>Median of the gaps between consecutive timestamps, skipping the warm-up steps.</summary>
    private static double Median(List<long> stamps)
    {
        var gaps = new List<double>();
        for (int i = Warmup + 1; i < stamps.Count; i++)
        {
            gaps.Add((stamps[i] - stamps[i - 1]) / (double)Stopwatch.Frequency);
        }

        gaps.Sort();
        return gaps.Count == 0 ? double.NaN : gaps[gaps.Count / 2];
    }
}
