using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Messages;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Distributed.Internal;

/// <summary>
/// A worker's network, rows and data order. Synchronous steps take a contiguous part of the global batch of the
/// epoch's permutation (the permutation is the single-node trainer's: one <see cref="RandomSource"/> seeded with the
/// job's seed shuffles the row indices once per epoch), so the parts of all workers together are exactly the batch the
/// single-node trainer would take.
/// </summary>
internal sealed class WorkerCore<T> : IWorkerCore where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly WorkerJob _job;
    private readonly Network<T> _network;
    private readonly ILoss _loss;
    private readonly IParameterShardGrain[] _shards;
    private readonly long[] _versions;
    private readonly T[] _xRows, _y, _batchX, _batchY, _values, _gradient;
    private readonly Matrix<T> _trainX, _trainY;
    private readonly int _inputs, _targets, _totalRows, _trainRows;
    private readonly ShuffledBatchSampler _batches, _epochOrder;
    private readonly BatchObjective<T> _objective;

    public WorkerCore(WorkerJob job, ITrainingDataSource source, IGrainFactory grains, string silo)
    {
        _job = job;
        _network = LoadNetwork(job.Model);
        _loss = LossNames.Resolve(job.Loss);
        TrainingData<T> data = source.Load<T>(job.Data.Argument)
            ?? throw new InvalidOperationException($"Data source '{source.Name}' returned null.");
        Matrix<T> x = data.X, y = data.Y;
        if (x.ColumnCount != _network.InputSize || x.RowCount == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Data source '{source.Name}' gave inputs [{x.RowCount}x{x.ColumnCount}] but the network expects {_network.InputSize} columns and at least one row."), nameof(source));
        }

        int expected = _loss.ExpectedTargetColumns(_network.OutputSize);
        if (y.RowCount != x.RowCount || y.ColumnCount != expected)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Data source '{source.Name}' gave targets [{y.RowCount}x{y.ColumnCount}] but loss {_loss.Name} on {_network.OutputSize} outputs expects [{x.RowCount}x{expected}]."), nameof(source));
        }

        _totalRows = x.RowCount;
        _trainRows = job.ValidationFraction > 0 ? _totalRows - (int)Math.Ceiling(_totalRows * job.ValidationFraction) : _totalRows;
        if (_trainRows < 1)
        {
            throw new ArgumentException($"ValidationFraction {job.ValidationFraction} leaves no training rows out of {_totalRows}.", nameof(job));
        }

        _inputs = x.ColumnCount;
        _targets = y.ColumnCount;
        _trainX = x.SubMatrix(0, _trainRows, 0, _inputs);
        _trainY = y.SubMatrix(0, _trainRows, 0, _targets);
        // Rows contiguous (row-major) for gathering batches; targets column-major as the loss reads them.
        _xRows = new T[_trainRows * _inputs];
        for (int r = 0; r < _trainRows; r++)
        {
            for (int j = 0; j < _inputs; j++)
            {
                _xRows[r * _inputs + j] = x[r, j];
            }
        }

        _y = y.ToColumnMajorArray();
        int batch = Math.Min(job.BatchSize, _trainRows);
        _batchX = new T[batch * _inputs];
        _batchY = new T[batch * _targets];
        int count = _network.ParameterSet.Length;

        if (job.ShardOffsets.Length < 2 || job.ShardOffsets[0] != 0 || job.ShardOffsets[^1] != count)
        {
            throw new ArgumentException($"Shard offsets [{string.Join(", ", job.ShardOffsets)}] do not cover the network's {count} parameters.", nameof(job));
        }

        _values = new T[count];
        _gradient = new T[count];
        _shards = new IParameterShardGrain[job.ShardOffsets.Length - 1];
        _versions = new long[_shards.Length];
        for (int s = 0; s < _shards.Length; s++)
        {
            _shards[s] = grains.GetGrain<IParameterShardGrain>(ShardKey.Of(job.JobId, s));
            _versions[s] = -1;
        }

        // The single-node loop's sampler: the same seed gives the same permutation and the same global batches. A
        // second one with one batch per epoch exposes the whole permutation for the asynchronous blocks.
        _batches = new ShuffledBatchSampler(_trainRows, job.BatchSize, job.Seed, job.Shuffle);
        _epochOrder = new ShuffledBatchSampler(_trainRows, _trainRows, job.Seed, job.Shuffle);
        _objective = new BatchObjective<T>(_network, _loss, job.L2);
        Ready = new WorkerReady { TrainRows = _trainRows, ParameterCount = count, Host = Hosting.HostInfoFactory.Create(silo) };
    }

    public string JobId => _job.JobId;

    public WorkerReady Ready { get; }

    public async Task<WorkerStepResult> StepAsync(WorkerStep step)
    {
        return _job.Mode == ParameterServerMode.Synchronous ? await SynchronousStepAsync(step) : await AsynchronousStepAsync(step);
    }

    private async Task<WorkerStepResult> SynchronousStepAsync(WorkerStep step)
    {
        long bytes = 0;
        if (Array.Exists(_versions, v => v != step.Step))
        {
            bytes += await PullAsync(step.Step, exact: true);
        }

        // Global batch b (m rows) is the sampler's batch b; worker i of n takes its rows [⌊i·m/n⌋, ⌊(i+1)·m/n⌋), so the
        // parts tile the batch in worker order.
        if (step.Batch < 0 || step.Batch >= _batches.BatchCount || step.Worker < 0 || step.Worker >= step.WorkerCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Batch {step.Batch} of epoch {step.Epoch} (worker {step.Worker} of {step.WorkerCount}) is outside the {_batches.BatchCount} batches of the {_trainRows} training rows."), nameof(step));
        }

        _batches.BeginEpoch(step.Epoch);
        int m = _batches.GetBatch(step.Batch).Length;
        int lo = (int)((long)step.Worker * m / step.WorkerCount);
        int hi = (int)((long)(step.Worker + 1) * m / step.WorkerCount);
        long started = Stopwatch.GetTimestamp();
        double lossSum = ComputePart(step, lo, hi, synchronous: true);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var pushes = new Task<PushResult>[_shards.Length];
        for (int s = 0; s < _shards.Length; s++)
        {
            byte[] part = Slice(_gradient, s);
            bytes += part.Length;
            pushes[s] = _shards[s].PushAsync(new GradientPush
            {
                JobId = _job.JobId, Version = step.Step, Worker = step.Worker, WorkerCount = step.WorkerCount,
                Rows = hi - lo, BatchRows = m, LearningRate = step.LearningRate, Gradient = part,
            });
        }

        PushResult[] results = await Task.WhenAll(pushes);
        int rejected = 0;
        foreach (PushResult r in results)
        {
            if (r.Status == PushStatus.Refused)
            {
                throw new InvalidOperationException($"A shard refused worker {step.Worker}'s part of step {step.Step}: {r.Reason}");
            }

            if (r.Status != PushStatus.Accepted)
            {
                rejected++;
            }
        }

        bytes += await PullAsync(step.Step + 1, exact: false);
        return new WorkerStepResult
        {
            Rows = hi - lo, LossSum = lossSum, ComputeSeconds = seconds, Bytes = bytes,
            Version = _versions.Min(), Rejected = rejected, Applied = rejected == 0,
        };
    }

    private async Task<WorkerStepResult> AsynchronousStepAsync(WorkerStep step)
    {
        long bytes = 0;
        if (Array.Exists(_versions, v => v < 0))
        {
            bytes += await PullAsync(0, exact: false);
        }

        // Worker i of n owns positions [⌊iN/n⌋, ⌊(i+1)N/n⌋) of the epoch's permutation, in batches of B.
        int blockStart = (int)((long)step.Worker * _trainRows / step.WorkerCount);
        int blockEnd = (int)((long)(step.Worker + 1) * _trainRows / step.WorkerCount);
        int lo = blockStart + step.Batch * _job.BatchSize;
        if (step.Worker < 0 || step.Worker >= step.WorkerCount || lo >= blockEnd)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Batch {step.Batch} of block {step.Worker} of {step.WorkerCount} is outside the block [{blockStart}, {blockEnd})."), nameof(step));
        }

        int hi = Math.Min(lo + _job.BatchSize, blockEnd);
        var pending = Enumerable.Range(0, _shards.Length).ToList();
        double lossSum = 0, seconds = 0;
        int rejected = 0;
        for (int attempt = 0; pending.Count > 0 && attempt <= step.StaleRetries; attempt++)
        {
            long started = Stopwatch.GetTimestamp();
            lossSum = ComputePart(step, lo, hi, synchronous: false);
            seconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            var pushes = new List<(int Shard, Task<PushResult> Result)>();
            foreach (int s in pending)
            {
                byte[] part = Slice(_gradient, s);
                bytes += part.Length;
                pushes.Add((s, _shards[s].PushAsync(new GradientPush
                {
                    JobId = _job.JobId, Version = _versions[s], Worker = 0, WorkerCount = 1,
                    Rows = hi - lo, BatchRows = hi - lo, LearningRate = step.LearningRate, Gradient = part,
                })));
            }

            await Task.WhenAll(pushes.Select(p => p.Result));
            pending.Clear();
            foreach ((int s, Task<PushResult> task) in pushes)
            {
                PushResult r = task.Result;
                if (r.Status == PushStatus.Refused)
                {
                    throw new InvalidOperationException($"Shard {s} refused a push of batch {step.Batch}: {r.Reason}");
                }

                if (r.Status == PushStatus.Stale)
                {
                    rejected++;
                    pending.Add(s);
                }
            }

            // Pull the newest values: every shard after an accepted push, the stale ones before recomputing.
            bytes += await PullAsync(0, exact: false);
        }

        return new WorkerStepResult
        {
            Rows = hi - lo, LossSum = lossSum, ComputeSeconds = seconds, Bytes = bytes,
            Version = _versions.Min(), Rejected = rejected, Applied = pending.Count == 0,
        };
    }

    public Dictionary<string, double> Evaluate(string[] metrics)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (metrics.Length == 0)
        {
            return result;
        }

        Matrix<T> prediction = _network.Predict(_trainX);
        foreach (string name in metrics)
        {
            IMetric metric = Metric.FromName(name);
            result[metric.Name] = metric.Compute(prediction, _trainY);
        }

        return result;
    }

    public byte[] CopyBuffers()
    {
        ParameterSet<T> set = _network.ParameterSet;
        if (set.StateLength == set.Length)
        {
            return [];
        }

        var state = new T[set.StateLength];
        set.CopyStateTo(state);
        return MemoryMarshal.AsBytes(state.AsSpan(set.Length)).ToArray();
    }

    /// <summary>Loss and gradient (with L2) of rows [lo, hi) of the step's batch (synchronous: of the global batch,
    /// scaled by its share (hi - lo) / m so the parts sum to the batch mean) or of the epoch's permutation
    /// (asynchronous), into <see cref="_gradient"/>; returns the rows' loss sum.</summary>
    private double ComputePart(WorkerStep step, int lo, int hi, bool synchronous)
    {
        ReadOnlySpan<int> rows;
        double scale = 1;
        if (synchronous)
        {
            _batches.BeginEpoch(step.Epoch);
            ReadOnlySpan<int> batch = _batches.GetBatch(step.Batch);
            rows = batch[lo..hi];
            scale = rows.Length / (double)batch.Length;
        }
        else
        {
            _epochOrder.BeginEpoch(step.Epoch);
            rows = _epochOrder.GetBatch(0)[lo..hi];
        }

        int n = rows.Length;
        SeedDropout(step);
        Gather(rows);
        T loss = _objective.Compute(_batchX.AsSpan(0, n * _inputs), _batchY.AsSpan(0, n * _targets), n);
        _network.ParameterSet.CopyGradientsTo<T>(_gradient);
        if (scale != 1)
        {
            TensorPrimitives.Multiply(_gradient, T.CreateTruncating(scale), _gradient);
        }

        return double.CreateTruncating(loss) * n;
    }

    /// <summary>Dropout masks drawn from a stream seeded by (job seed, step, worker), so runs reproduce.</summary>
    private void SeedDropout(WorkerStep step)
    {
        foreach (Layer<T> layer in _network.Layers)
        {
            if (layer is DropoutLayer<T> dropout)
            {
                long seed = unchecked(_job.Seed * 1_000_003 + (step.Step + step.Epoch * 7919L + step.Batch) * 8191 + step.Worker);
                dropout.SetRandomState(new RandomSource(seed).GetState());
            }
        }
    }

    private void Gather(ReadOnlySpan<int> rows)
    {
        int n = rows.Length;
        for (int k = 0; k < n; k++)
        {
            // batch[k, j] = x[rows[k], j], written down the batch's columns (column-major).
            ReadOnlySpan<T> row = _xRows.AsSpan(rows[k] * _inputs, _inputs);
            for (int j = 0; j < row.Length; j++)
            {
                _batchX[k + j * n] = row[j];
            }
        }

        for (int j = 0; j < _targets; j++)
        {
            ReadOnlySpan<T> column = _y.AsSpan(j * _totalRows, _totalRows);
            Span<T> destination = _batchY.AsSpan(j * n, n);
            for (int k = 0; k < n; k++)
            {
                destination[k] = column[rows[k]];
            }
        }
    }

    private byte[] Slice(T[] flat, int shard)
    {
        int from = _job.ShardOffsets[shard], to = _job.ShardOffsets[shard + 1];
        return MemoryMarshal.AsBytes(flat.AsSpan(from, to - from)).ToArray();
    }

    /// <summary>Pulls every shard (waiting for <paramref name="minVersion"/>) into the network; returns the bytes received.</summary>
    private async Task<long> PullAsync(long minVersion, bool exact)
    {
        var pulls = new Task<ParameterSnapshot>[_shards.Length];
        for (int s = 0; s < _shards.Length; s++)
        {
            pulls[s] = _shards[s].PullAsync(minVersion);
        }

        ParameterSnapshot[] snapshots = await Task.WhenAll(pulls);
        long bytes = 0;
        for (int s = 0; s < _shards.Length; s++)
        {
            ParameterSnapshot snapshot = snapshots[s];
            if (exact ? snapshot.Version != minVersion : snapshot.Version < minVersion)
            {
                _versions[s] = -1;
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Shard {s} of job '{_job.JobId}' is at version {snapshot.Version}; the step needs version {minVersion}."));
            }

            int from = _job.ShardOffsets[s], to = _job.ShardOffsets[s + 1];
            ReadOnlySpan<T> values = MemoryMarshal.Cast<byte, T>(snapshot.Values);
            if (values.Length != to - from)
            {
                throw new InvalidOperationException($"Shard {s} sent {values.Length} values; its range holds {to - from}.");
            }

            values.CopyTo(_values.AsSpan(from, to - from));
            _versions[s] = snapshot.Version;
            bytes += snapshot.Values.Length;
        }

        _network.ParameterSet.SetValues<T>(_values);
        return bytes;
    }

    private static Network<T> LoadNetwork(byte[] model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-worker-{Guid.NewGuid():N}.nnm");
        try
        {
            File.WriteAllBytes(path, model);
            return ModelFile.Load<T>(path).Network;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
