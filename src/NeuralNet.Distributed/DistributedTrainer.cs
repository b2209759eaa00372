using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Internal;
using NeuralNet.Distributed.Messages;
using NeuralNet.Distributed.Training;
using NeuralNet.Layers;
using NeuralNet.Metrics;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Orleans.Runtime;

namespace NeuralNet.Distributed;

/// <summary>
/// Data-parallel training on an Orleans cluster with a parameter server: the network's parameters live in
/// <see cref="DistributedTrainerOptions.Shards"/> shard grains that run the core optimiser; one worker grain per silo
/// loads the training rows itself and computes gradients; this driver (in the calling process) hands out the steps,
/// reports epochs, and recovers from lost workers and lost shards.
/// </summary>
/// <remarks>
/// Synchronous mode equals single-node <see cref="Trainer{T}"/> training with the same options up to the summation
/// order of the gradient parts, and two runs give bit-identical weights. See docs/distributed.md for the guarantees and
/// failure behaviour.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example>
/// <code>
/// var trainer = new DistributedTrainer&lt;float&gt;(client, new DistributedTrainerOptions
/// {
///     Data = new DataSourceReference("digits"),
///     Trainer = new TrainerOptions { Epochs = 10, BatchSize = 128, Optimizer = new Adam(0.002), Loss = Loss.SparseCategoricalCrossEntropy },
/// });
/// DistributedTrainingResult result = await trainer.FitAsync(network);
/// </code>
/// </example>
public sealed partial class DistributedTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IGrainFactory _grains;
    private readonly double _baseRate;

    /// <summary>Creates a trainer that runs jobs on the cluster reached through <paramref name="grains"/>.</summary>
    /// <param name="grains">A cluster client (or a silo's grain factory).</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The data source or job id is missing or malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or timeout is out of range.</exception>
    /// <exception cref="NotSupportedException">A full-batch or custom optimiser, a custom loss, clipping with several
    /// shards, the health monitor, or an element type other than float and double.</exception>
    public DistributedTrainer(IGrainFactory grains, DistributedTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"Distributed training supports float and double, not {typeof(T).Name}.");
        }

        _grains = grains;
        Options = options;
        _ = options.Validate();
        _baseRate = options.Trainer.Optimizer.LearningRate;
    }

    /// <summary>The settings.</summary>
    public DistributedTrainerOptions Options { get; }

    /// <summary>Trains <paramref name="network"/> on the job's data source; on return the network holds the trained
    /// weights (the best epoch's with early stopping and <see cref="EarlyStoppingOptions.RestoreBestWeights"/>).</summary>
    /// <param name="network">The network: its architecture and weights start the job (unless resuming).</param>
    /// <param name="validationX">Validation inputs, evaluated here in the driver after every epoch; optional.</param>
    /// <param name="validationY">Validation targets (null exactly when <paramref name="validationX"/> is).</param>
    /// <param name="progress">Receives each epoch's report.</param>
    /// <param name="details">Receives each epoch's report with worker throughput and counters.</param>
    /// <param name="onBatch">Called after every synchronous step (on the driver's flow; not called in asynchronous mode).</param>
    /// <param name="cancellationToken">Stops before the next step; the network then holds the last step's weights.</param>
    /// <returns>The epochs, counters and worker figures.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">Validation data missing a half or of the wrong shape.</exception>
    /// <exception cref="InvalidOperationException">No worker silo is active, the workers disagree about the data, the
    /// shards cannot be reached within <see cref="DistributedTrainerOptions.RecoveryTimeout"/>, or their checkpoints
    /// disagree.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public async Task<DistributedTrainingResult> FitAsync(
        Network<T> network,
        Matrix<T>? validationX = null,
        Matrix<T>? validationY = null,
        IProgress<EpochReport>? progress = null,
        IProgress<DistributedEpochReport>? details = null,
        Action<BatchReport>? onBatch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckValidation(network, validationX, validationY);
        await GrainTypeWait.UntilResolvedAsync(() => _grains.GetGrain<IParameterShardGrain>(ShardKey.Of(Options.JobId, 0)), nameof(IParameterShardGrain), Options.RecoveryTimeout, cancellationToken).ConfigureAwait(false);
        var run = new Run(this, network, validationX, validationY, progress, details, onBatch, cancellationToken);
        return await run.ExecuteAsync();
    }

    private void CheckValidation(Network<T> network, Matrix<T>? x, Matrix<T>? y)
    {
        if ((x is null) != (y is null))
        {
            throw new ArgumentException("Pass both validationX and validationY, or neither.", x is null ? "validationX" : "validationY");
        }

        if (x is null)
        {
            if (Options.Trainer.EarlyStopping is { } early && early.Monitor.StartsWith("val_", StringComparison.Ordinal))
            {
                throw new ArgumentException($"EarlyStopping.Monitor is '{early.Monitor}' but no validation data was passed.", "validationX");
            }

            return;
        }

        int expected = Options.Trainer.Loss.ExpectedTargetColumns(network.OutputSize);
        if (x.ColumnCount != network.InputSize || x.RowCount == 0 || y!.RowCount != x.RowCount || y.ColumnCount != expected)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"validation data [{x.RowCount}x{x.ColumnCount}] / [{y!.RowCount}x{y.ColumnCount}] does not fit the network ({network.InputSize} inputs) and loss {Options.Trainer.Loss.Name} ({expected} target columns)."), "validationX");
        }
    }

    /// <summary>One call of <see cref="FitAsync"/>.</summary>
    private sealed partial class Run
    {
        private readonly DistributedTrainer<T> _trainer;
        private readonly DistributedTrainerOptions _options;
        private readonly TrainerOptions _core;
        private readonly Network<T> _network;
        private readonly ParameterSet<T> _parameters;
        private readonly Matrix<T>? _validationX, _validationY;
        private readonly IProgress<EpochReport>? _progress;
        private readonly IProgress<DistributedEpochReport>? _details;
        private readonly Action<BatchReport>? _onBatch;
        private readonly CancellationToken _cancellation;
        private readonly IParameterShardGrain[] _shards;
        private readonly int[] _offsets;
        private readonly Dictionary<string, WorkerAccount> _accounts = new(StringComparer.Ordinal);
        private readonly List<string> _roster = [];
        private WorkerJob? _job;
        private int _trainRows, _workersLost;
        private long _restores, _stepsLost;

        public Run(DistributedTrainer<T> trainer, Network<T> network, Matrix<T>? validationX, Matrix<T>? validationY,
            IProgress<EpochReport>? progress, IProgress<DistributedEpochReport>? details, Action<BatchReport>? onBatch, CancellationToken cancellation)
        {
            _trainer = trainer;
            _options = trainer.Options;
            _core = _options.Trainer;
            _network = network;
            _parameters = network.ParameterSet;
            _validationX = validationX;
            _validationY = validationY;
            _progress = progress;
            _details = details;
            _onBatch = onBatch;
            _cancellation = cancellation;
            long count = _parameters.Length;
            if (count < _options.Shards)
            {
                throw new ArgumentException($"The network has {count} parameters, fewer than Shards = {_options.Shards}.", nameof(network));
            }

            _offsets = ParameterServer.ShardOffsets((int)count, _options.Shards);

            _shards = new IParameterShardGrain[_options.Shards];
            for (int s = 0; s < _shards.Length; s++)
            {
                _shards[s] = trainer._grains.GetGrain<IParameterShardGrain>(ShardKey.Of(_options.JobId, s));
            }
        }

        private bool Synchronous => _options.Mode == ParameterServerMode.Synchronous;

        public async Task<DistributedTrainingResult> ExecuteAsync()
        {
            long started = Stopwatch.GetTimestamp();
            _job = new WorkerJob
            {
                JobId = _options.JobId,
                Precision = typeof(T) == typeof(float) ? Precision.Single : Precision.Double,
                Model = SaveModel(_network),
                Data = _options.Data!,
                Loss = _core.Loss.Name,
                Seed = _core.Seed,
                Shuffle = _core.Shuffle,
                BatchSize = _core.BatchSize,
                ValidationFraction = _core.ValidationFraction,
                ShardOffsets = _offsets,
                Mode = _options.Mode,
                L2 = _core.L2,
            };

            await RefreshRosterAsync(required: true);
            int batchSize = Math.Min(_core.BatchSize, _trainRows);
            int stepsPerEpoch = (_trainRows + batchSize - 1) / batchSize;
            long version = await StartShardsAsync(stepsPerEpoch);
            long startVersion = version;
            if (version == 0)
            {
                _core.Schedule.Reset();
            }

            var epochs = new List<DistributedEpochReport>();
            EarlyStoppingOptions? early = _core.EarlyStopping;
            bool higherIsBetter = early is not null && HigherIsBetter(early.Monitor);
            double bestValue = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
            int? bestEpoch = null;
            int wait = 0;
            T[]? bestWeights = null;
            StopReason stop = StopReason.Completed;
            int firstEpoch = (int)(version / stepsPerEpoch);
            for (int epoch = firstEpoch; epoch < _core.Epochs; epoch++)
            {
                if (epoch > firstEpoch)
                {
                    await RefreshRosterAsync(required: false);
                }

                long epochStarted = Stopwatch.GetTimestamp();
                var before = _accounts.ToDictionary(a => a.Key, a => a.Value.Snapshot(), StringComparer.Ordinal);
                EpochOutcome outcome = Synchronous
                    ? await RunSynchronousEpochAsync(epoch, stepsPerEpoch, version)
                    : await RunAsynchronousEpochAsync(epoch);
                version = outcome.Version;
                if (outcome.Cancelled)
                {
                    stop = StopReason.Cancelled;
                    break;
                }

                if (!double.IsFinite(outcome.Loss))
                {
                    throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture, $"Distributed training diverged in epoch {epoch + 1}: the loss is {outcome.Loss} (learning rate {outcome.Rate})."));
                }

                await PullIntoNetworkAsync();
                await MergeBuffersAsync();
                EpochReport report = await EndOfEpochAsync(epoch + 1, outcome, epochStarted);
                _core.Schedule.OnEpochEnd(epoch, report.ValidationLoss ?? report.Loss);
                ParameterServerCounters counters = await CountersAsync(version);
                List<WorkerStatistics> workers = _accounts.Select(a => a.Value.Since(a.Key, before.GetValueOrDefault(a.Key))).Where(w => w.Steps > 0 || w.Failed).ToList();
                long bytes = workers.Sum(w => w.Bytes);
                var distributed = new DistributedEpochReport(report, workers, counters, outcome.Steps > 0 ? bytes / (double)outcome.Steps : 0);
                epochs.Add(distributed);
                bool halt = false;
                if (early is not null)
                {
                    double value = early.Monitor switch
                    {
                        "loss" => report.Loss,
                        "val_loss" => report.ValidationLoss ?? double.NaN,
                        _ => report.Metrics[early.Monitor],
                    };
                    bool improved = higherIsBetter ? value > bestValue + early.MinDelta : value < bestValue - early.MinDelta;
                    if (improved || bestEpoch is null)
                    {
                        bestValue = value;
                        bestEpoch = epoch + 1;
                        wait = 0;
                        if (early.RestoreBestWeights)
                        {
                            bestWeights ??= new T[_parameters.Length];
                            Flatten(bestWeights);
                        }
                    }
                    else if (++wait >= early.Patience)
                    {
                        stop = StopReason.EarlyStopped;
                        halt = true;
                    }
                }

                _progress?.Report(report);
                _details?.Report(distributed);
                if (halt)
                {
                    break;
                }
            }

            await PullIntoNetworkAsync();
            if (bestWeights is not null)
            {
                Unflatten(bestWeights);
            }

            return new DistributedTrainingResult(
                epochs, stop, bestEpoch, version - startVersion + _stepsLost, await CountersAsync(version),
                _accounts.Select(a => a.Value.Since(a.Key, default)).ToList(), Stopwatch.GetElapsedTime(started));
        }

        private async Task<EpochReport> EndOfEpochAsync(int epoch, EpochOutcome outcome, long started)
        {
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (_core.Metrics.Count > 0 && _roster.Count > 0)
            {
                string[] names = _core.Metrics.Select(m => m.Name).ToArray();
                try
                {
                    Dictionary<string, double> train = await _trainer._grains.GetGrain<IWorkerGrain>(_roster[0]).EvaluateAsync(_options.JobId, names).WaitAsync(_options.EffectiveStepTimeout);
                    foreach ((string name, double value) in train)
                    {
                        metrics[name] = value;
                    }
                }
                catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException)
                {
                    // The training metrics are skipped for an epoch whose evaluating worker was lost.
                }
            }

            double? validationLoss = null;
            if (_validationX is not null && _validationY is not null)
            {
                Matrix<T> prediction = _network.Predict(_validationX);
                validationLoss = double.CreateTruncating(_core.Loss.Compute<T>(prediction.AsColumnMajorArray() ?? prediction.ToColumnMajorArray(), _validationY.AsColumnMajorArray() ?? _validationY.ToColumnMajorArray(), _validationX.RowCount)) + Penalty();
                foreach (IMetric metric in _core.Metrics)
                {
                    metrics["val_" + metric.Name] = metric.Compute(prediction, _validationY);
                }
            }

            return new EpochReport(epoch, outcome.Loss, validationLoss, metrics, outcome.Rate, Stopwatch.GetElapsedTime(started), null);
        }

        private double Penalty() => _core.L2 > 0 ? _parameters.L2Penalty(_core.L2) : 0;

        private bool HigherIsBetter(string monitor)
        {
            string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
            return name != "loss" && (_core.Metrics.FirstOrDefault(m => m.Name == name)?.HigherIsBetter
                ?? throw new ArgumentException($"EarlyStopping.Monitor '{monitor}' is not reported.", nameof(monitor)));
        }

        private async Task<ShardStatus[]> StatusesAsync() => await WithRetriesAsync(() => Task.WhenAll(_shards.Select(s => s.GetStatusAsync())));

        private async Task<ParameterServerCounters> CountersAsync(long version)
        {
            ShardStatus[] statuses = await StatusesAsync();
            return new ParameterServerCounters(
                version,
                statuses.Sum(s => s.Counters.PartsDropped),
                statuses.Sum(s => s.Counters.LatePushes),
                statuses.Sum(s => s.Counters.StalePushes),
                statuses.Sum(s => s.Counters.RefusedPushes),
                _restores,
                _stepsLost,
                _workersLost);
        }

        /// <summary>Retries a call to the shards while the cluster recovers from a dead silo (the shard grain comes back
        /// on another silo once membership has declared the old one dead), up to the recovery timeout.</summary>
        private async Task<TResult> WithRetriesAsync<TResult>(Func<Task<TResult>> call)
        {
            DateTime deadline = DateTime.UtcNow + _options.RecoveryTimeout;
            while (true)
            {
                try
                {
                    return await call().WaitAsync(_options.EffectiveStepTimeout);
                }
                catch (Exception e) when ((e is OrleansException or TimeoutException or SiloUnavailableException) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
            }
        }

        private void Flatten(Span<T> destination) => _parameters.CopyValuesTo(destination);

        private void Unflatten(ReadOnlySpan<T> source) => _parameters.SetValues(source);

        private static byte[] SaveModel(Network<T> network)
        {
            string path = Path.Combine(Path.GetTempPath(), $"neuralnet-job-{Guid.NewGuid():N}.nnm");
            try
            {
                ModelFile.Save(path, network);
                return File.ReadAllBytes(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    private readonly record struct EpochOutcome(long Version, double Loss, double Rate, int Steps, bool Cancelled);

    /// <summary>A worker's running totals, kept by the driver.</summary>
    private sealed class WorkerAccount
    {
        private long _steps, _rows, _bytes;
        private double _compute, _wall;

        public bool Failed { get; set; }

        public void Add(WorkerStepResult r, double wall)
        {
            lock (this)
            {
                _steps++;
                _rows += r.Rows;
                _bytes += r.Bytes;
                _compute += r.ComputeSeconds;
                _wall += wall;
            }
        }

        public (long Steps, long Rows, long Bytes, double Compute, double Wall) Snapshot()
        {
            lock (this)
            {
                return (_steps, _rows, _bytes, _compute, _wall);
            }
        }

        public WorkerStatistics Since(string silo, (long Steps, long Rows, long Bytes, double Compute, double Wall) before)
        {
            var now = Snapshot();
            return new WorkerStatistics(silo, now.Steps - before.Steps, now.Rows - before.Rows, now.Compute - before.Compute, now.Wall - before.Wall, now.Bytes - before.Bytes, Failed);
        }
    }
}
