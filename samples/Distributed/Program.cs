// Distributed training on a local Orleans cluster: silo processes on 127.0.0.1 hold the parameter server and one
// worker each; this process is the driver. Prints per-epoch loss and test accuracy, per-worker throughput and bytes per
// step, and the final test accuracy beside single-node training of the same network. --bench measures steps per second
// and bytes per step for 1 to 4 workers on the reference network (784-256-128-10, batch 128).
using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Distributed;
using NeuralNet.Distributed.Data;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Hosting;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Samples;
using NeuralNet.Samples.Distributed;
using NeuralNet.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Dictionary<string, string> options;
try
{
    options = SampleSupport.ParseArgs(args, ["workers", "redis", "kill-worker-at", "data", "epochs", "batch", "learning-rate", "seed", "shards", "mode", "rows", "bench"]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ContainsKey("help"))
{
    Console.WriteLine("""
        Distributed: data-parallel training on a local Orleans cluster of silo processes with a parameter server.

        Usage: dotnet run --project samples/Distributed -c Release -- [options]

          --workers N           silo processes, one worker each (default: 3)
          --redis HOST:PORT     Redis for membership and checkpoints (default: localhost clustering, in-memory state)
          --kill-worker-at E    SIGKILL a worker silo in the middle of epoch E; the job finishes without it
          --data NAME|FILE      digits (default; ships with the repo), fashion (Fashion-MNIST from
                                /usr/share/datasets/fashion-mnist), or a CSV file (features, label last, no header)
          --rows N              fashion: training rows to use (default: 10000)
          --epochs N            (default: 20)        --batch N       global batch (default: 64)
          --learning-rate R     Adam (default: 0.002) --seed S       (default: 42)
          --shards S            parameter-server shards (default: 1)
          --mode sync|async     (default: sync)
          --bench STEPS         measure 1-4 workers, in-process and across processes, STEPS steps each
          -h, --help            this text
        """);
    return 0;
}

int workers = SampleSupport.Int(options, "workers", 3);
int epochs = SampleSupport.Int(options, "epochs", 20);
int batch = SampleSupport.Int(options, "batch", 64);
double learningRate = SampleSupport.Double(options, "learning-rate", 0.002);
long seed = SampleSupport.Int(options, "seed", 42);
int shards = SampleSupport.Int(options, "shards", 1);
int? killAt = options.ContainsKey("kill-worker-at") ? SampleSupport.Int(options, "kill-worker-at", 0) : null;
string? redis = options.GetValueOrDefault("redis");
var mode = options.GetValueOrDefault("mode") is "async" ? ParameterServerMode.Asynchronous : ParameterServerMode.Synchronous;
string clusterId = $"sample-{Environment.ProcessId}";

if (options.TryGetValue("bench", out string? benchSteps))
{
    return await Benchmark.RunAsync(int.Parse(benchSteps, CultureInfo.InvariantCulture), redis);
}

// 1. Data: the driver loads the test rows for evaluation; the workers load the training rows themselves.
string data = options.GetValueOrDefault("data") ?? "digits";
TrainingData<float> train, test;
DataSourceReference reference;
int hidden;
if (data == "fashion")
{
    const string Dir = "/usr/share/datasets/fashion-mnist";
    int rows = SampleSupport.Int(options, "rows", 10_000);
    string images = Path.Combine(Dir, "train-images-idx3-ubyte.gz"), labels = Path.Combine(Dir, "train-labels-idx1-ubyte.gz");
    reference = new DataSourceReference(IdxClassificationDataSource.SourceName, IdxClassificationDataSource.Argument(images, labels, rows));
    train = new IdxClassificationDataSource().Load<float>(reference.Argument);
    Dataset<float> t = IdxFile.LoadDataset<float>(Path.Combine(Dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(Dir, "t10k-labels-idx1-ubyte.gz"), 1.0 / 255, 2_000);
    test = new TrainingData<float>(t.Features, t.Targets);
    hidden = 128;
}
else
{
    string path = Path.GetFullPath(data == "digits" ? Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz") : data);
    (train, test, _) = CsvClassificationDataSource.LoadSplit<float>(path, 0.2, seed);
    reference = new DataSourceReference(CsvClassificationDataSource.SourceName, CsvClassificationDataSource.Argument(path, 0.2, seed));
    hidden = 64;
}

int classes = (int)Math.Max(train.Y.Enumerate().Max(), test.Y.Enumerate().Max()) + 1;
Network<float> NewNetwork() => new NetworkBuilder<float>(train.X.ColumnCount).WithSeed(seed)
    .AddDense(hidden, Activation.ReLU).AddDense(classes, Activation.Softmax).Build();
TrainerOptions Options() => new()
{
    Epochs = epochs, BatchSize = batch, Seed = seed, Optimizer = new Adam(learningRate), Loss = Loss.SparseCategoricalCrossEntropy,
    Metrics = [Metric.Accuracy],
};
Console.WriteLine($"{train.X.RowCount} training rows, {test.X.RowCount} test rows, {train.X.ColumnCount} features, {classes} classes ({data}).");

// 2. Single-node reference: the same network, options and batches on this machine.
var single = NewNetwork();
var clock = Stopwatch.StartNew();
new Trainer<float>(Options()).Fit(single, train.X, train.Y);
double singleSeconds = clock.Elapsed.TotalSeconds;
double singleAccuracy = Accuracy(single, test);
Console.WriteLine($"Single node: test accuracy {singleAccuracy:F4} in {singleSeconds:F1} s.");

// 3. The cluster: silo processes, then this process as its client.
using var silos = new SiloProcesses();
Console.WriteLine($"Starting {workers} silo processes on 127.0.0.1 ({(redis is null ? "localhost clustering, in-memory state" : $"Redis {redis}")})...");
silos.Start(workers, clusterId, redis);
var settings = new DistributedClusterSettings
{
    ClusterId = clusterId, ServiceId = clusterId, Redis = redis, PrimarySiloPort = silos.PrimaryPort, GatewayPorts = silos.GatewayPorts, FastFailureDetection = true,
};
using IHost clientHost = Host.CreateDefaultBuilder().ConfigureLogging(l => l.ClearProviders())
    .UseOrleansClient(c => c.ConfigureTrainingClient(settings)
        .Configure<Orleans.Configuration.GatewayOptions>(o => o.PreferredGatewayIndex = 0)) // silo0, never the victim
    .Build();
await clientHost.StartAsync();
IClusterClient client = clientHost.Services.GetRequiredService<IClusterClient>();

// 4. Distributed training.
var network = NewNetwork();
var trainer = new DistributedTrainer<float>(client, new DistributedTrainerOptions
{
    JobId = $"sample-{data}-{Environment.ProcessId}", Trainer = Options(), Data = reference, Mode = mode, Shards = shards,
    BarrierTimeout = TimeSpan.FromSeconds(3), CheckpointEvery = 10,
});
string? victim = null;
void OnBatch(BatchReport b)
{
    if (killAt is { } e && victim is null && b.Epoch == e && b.Batch == b.BatchCount / 2)
    {
        // A worker silo that is neither the primary (silo0) nor the holder of shard 0.
        int shardPid = client.GetGrain<IParameterShardGrain>($"{trainer.Options.JobId}/0").GetStatusAsync().GetAwaiter().GetResult().Host.ProcessId;
        victim = silos.Names.Skip(1).FirstOrDefault(n => silos.ProcessId(n) != shardPid);
        if (victim is not null)
        {
            Console.WriteLine($"  -- epoch {b.Epoch}, batch {b.Batch}/{b.BatchCount}: kill -9 {victim} (pid {silos.ProcessId(victim)})");
            silos.Kill(victim);
        }
    }
}

var details = new SampleSupport.Callback<DistributedEpochReport>(r =>
{
    string throughput = string.Join("  ", r.Workers.Select(w => $"{w.Silo} {w.RowsPerSecond,7:F0} rows/s{(w.Failed ? " (lost)" : "")}"));
    Console.WriteLine($"epoch {r.Report.Epoch,3}  loss {r.Report.Loss:F4}  test acc {r.Report.Metrics.GetValueOrDefault("val_accuracy"):F4}  "
        + $"{r.BytesPerStep / 1024:F0} KiB/step  dropped {r.Counters.PartsDropped}  {throughput}");
});
clock.Restart();
DistributedTrainingResult result = await trainer.FitAsync(network, test.X, test.Y, details: details, onBatch: mode == ParameterServerMode.Synchronous ? OnBatch : null);
double distributedAccuracy = Accuracy(network, test);
Console.WriteLine();
Console.WriteLine($"Distributed ({workers} workers, {shards} shard(s), {mode}): test accuracy {distributedAccuracy:F4} in {clock.Elapsed.TotalSeconds:F1} s; "
    + $"{result.Counters.Version} steps, {result.Counters.PartsDropped} parts dropped, {result.Counters.WorkersLost} workers lost, "
    + $"{result.Counters.Restores} restores ({result.Counters.StepsLost} steps redone).");
Console.WriteLine($"Single node:                 test accuracy {singleAccuracy:F4} in {singleSeconds:F1} s.");
await clientHost.StopAsync();
return Math.Abs(distributedAccuracy - singleAccuracy) <= 0.02 ? 0 : 1;

static double Accuracy(Network<float> network, TrainingData<float> data) => Metric.Accuracy.Compute(network.Predict(data.X), data.Y);
