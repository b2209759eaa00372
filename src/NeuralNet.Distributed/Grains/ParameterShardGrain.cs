using System.Globalization;
using System.Runtime.InteropServices;
using NeuralNet.Distributed.Internal;
using NeuralNet.Distributed.Messages;
using NeuralNet.Optimizers;
using Orleans.Concurrency;

namespace NeuralNet.Distributed.Grains;

/// <summary>
/// The parameter-server shard (see <see cref="IParameterShardGrain"/>). Reentrant: a pull waiting for the next
/// version must not block the pushes that produce it. Every state change happens in a synchronous stretch between
/// awaits, so interleaved calls never see half an update.
/// </summary>
[Reentrant]
internal sealed class ParameterShardGrain : Grain, IParameterShardGrain
{
    private readonly IPersistentState<ShardState> _state;
    private ShardSetup? _setup;
    private IShardCore? _core;
    private long _version;
    private long _checkpointVersion;
    private ShardCounters _counters = new();

    // The open step of synchronous mode: parts by worker position, the rows they cover, the roster size.
    private byte[]?[] _parts = [];
    private long _openStep = -1;
    private int _received, _rowsReceived, _batchRows;
    private double _learningRate;

    // Completed (and replaced) whenever the version changes, to wake waiting pulls.
    private TaskCompletionSource _versionChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ParameterShardGrain([PersistentState("shard", DistributedStorage.Name)] IPersistentState<ShardState> state) => _state = state;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_state.RecordExists && _state.State.Setup is not null)
        {
            Load(_state.State);
        }

        return Task.CompletedTask;
    }

    public async Task<long> StartAsync(ShardSetup setup, bool resume)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (resume)
        {
            await _state.ReadStateAsync();
            if (_state.RecordExists && _state.State.Setup is { } saved && saved.JobId == setup.JobId)
            {
                if (saved.Shard != setup.Shard || saved.ShardCount != setup.ShardCount || _state.State.Values.Length != setup.Values.Length || saved.Precision != setup.Precision)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Job '{setup.JobId}' was persisted as shard {saved.Shard} of {saved.ShardCount} with {_state.State.Values.Length} bytes of {saved.Precision}; the resumed job asks for shard {setup.Shard} of {setup.ShardCount} with {setup.Values.Length} bytes of {setup.Precision}."), nameof(setup));
                }

                Load(_state.State);
                return _version;
            }
        }

        int total = 0;
        foreach (ShardPiece piece in setup.Pieces)
        {
            if (piece.Length < 1)
            {
                throw new ArgumentException($"Shard {setup.Shard}: piece '{piece.Name}' has length {piece.Length}; pieces must be non-empty.", nameof(setup));
            }

            total += piece.Length;
        }

        if (setup.Precision is not (Precision.Single or Precision.Double) || setup.Values.Length != total * (int)setup.Precision)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Shard {setup.Shard}: the pieces hold {total} values but {setup.Values.Length} bytes of {setup.Precision} were given."), nameof(setup));
        }

        _setup = setup with { Values = [] };
        _core = CreateCore(setup, setup.Values, null);
        _version = 0;
        _counters = new ShardCounters();
        ResetOpenStep();
        await PersistAsync();
        return 0;
    }

    public async Task<PushResult> PushAsync(GradientPush push)
    {
        ArgumentNullException.ThrowIfNull(push);
        if (_setup is null || _core is null)
        {
            return Refuse($"the shard serves no job (received a push for job '{push.JobId}')");
        }

        if (push.JobId != _setup.JobId)
        {
            return Refuse($"the push is for job '{push.JobId}' but the shard serves '{_setup.JobId}'");
        }

        if (push.Worker < 0 || push.Worker >= push.WorkerCount || push.Rows < 0 || push.BatchRows < 1 || push.Rows > push.BatchRows || !(push.LearningRate >= 0) || double.IsInfinity(push.LearningRate))
        {
            return Refuse(string.Create(CultureInfo.InvariantCulture,
                $"impossible push header: worker {push.Worker} of {push.WorkerCount}, {push.Rows} of {push.BatchRows} rows, learning rate {push.LearningRate}"));
        }

        if (_core.Check(push.Gradient) is { } problem)
        {
            return Refuse(problem);
        }

        return _setup.Mode == ParameterServerMode.Synchronous ? await PushSynchronousAsync(push) : await PushAsynchronousAsync(push);
    }

    private async Task<PushResult> PushSynchronousAsync(GradientPush push)
    {
        if (push.Version < _version)
        {
            _counters = _counters with { LatePushes = _counters.LatePushes + 1 };
            return new PushResult { Status = PushStatus.Late, Version = _version, Reason = $"step {push.Version} was applied without this part" };
        }

        if (push.Version > _version)
        {
            return Refuse($"the push is for step {push.Version} but the shard is at version {_version}");
        }

        if (_openStep != _version)
        {
            _openStep = _version;
            _parts = new byte[push.WorkerCount][];
            _received = 0;
            _rowsReceived = 0;
            _batchRows = push.BatchRows;
            _learningRate = push.LearningRate;
            _ = CloseAfterTimeoutAsync(_version);
        }

        if (push.WorkerCount != _parts.Length || push.BatchRows != _batchRows)
        {
            return Refuse($"the push says {push.WorkerCount} workers and {push.BatchRows} rows but step {_version} was opened with {_parts.Length} workers and {_batchRows} rows");
        }

        if (_parts[push.Worker] is not null)
        {
            return Refuse($"worker {push.Worker} already pushed its part of step {_version}");
        }

        _parts[push.Worker] = push.Gradient;
        _received++;
        _rowsReceived += push.Rows;
        _counters = _counters with { PartsAccepted = _counters.PartsAccepted + 1 };
        if (_received == _parts.Length)
        {
            await ApplyOpenStepAsync();
        }

        return new PushResult { Status = PushStatus.Accepted, Version = _version };
    }

    private async Task<PushResult> PushAsynchronousAsync(GradientPush push)
    {
        if (push.Version > _version)
        {
            // Only after this shard went back to a checkpoint: the worker's values are from a lost future, so it pulls
            // and recomputes, as for a stale push.
            _counters = _counters with { StalePushes = _counters.StalePushes + 1 };
            return new PushResult { Status = PushStatus.Stale, Version = _version, Reason = $"computed on version {push.Version}, ahead of the shard's {_version} (restored from a checkpoint)" };
        }

        if (_version - push.Version > _setup!.Staleness)
        {
            _counters = _counters with { StalePushes = _counters.StalePushes + 1 };
            return new PushResult { Status = PushStatus.Stale, Version = _version, Reason = $"computed on version {push.Version}, the shard is at {_version} (bound {_setup.Staleness})" };
        }

        _counters = _counters with { PartsAccepted = _counters.PartsAccepted + 1 };
        _core!.Apply([push.Gradient], 1.0, push.LearningRate);
        await AdvanceAsync();
        return new PushResult { Status = PushStatus.Accepted, Version = _version };
    }

    /// <summary>Synchronous barrier timeout: steps with the parts that arrived, counting the missing ones as dropped.</summary>
    private async Task CloseAfterTimeoutAsync(long step)
    {
        await Task.Delay(_setup!.BarrierTimeout);
        if (_openStep == step && _version == step)
        {
            _counters = _counters with { PartsDropped = _counters.PartsDropped + (_parts.Length - _received) };
            await ApplyOpenStepAsync();
        }
    }

    private async Task ApplyOpenStepAsync()
    {
        // The parts are pre-scaled by rows_w / B, so their sum is the mean gradient of the global batch. When parts are
        // missing, B / rows received rescales the sum to the mean over the rows that did arrive.
        if (_rowsReceived > 0)
        {
            double scale = _rowsReceived == _batchRows ? 1.0 : _batchRows / (double)_rowsReceived;
            _core!.Apply(_parts, scale, _learningRate);
        }

        ResetOpenStep();
        await AdvanceAsync();
    }

    private async Task AdvanceAsync()
    {
        _version++;
        _counters = _counters with { StepsApplied = _counters.StepsApplied + 1 };
        if (_version % _setup!.CheckpointEvery == 0 || _version % _setup.StepsPerEpoch == 0)
        {
            // Persist before anyone sees the version, so at most k versions are ever lost.
            await PersistAsync();
        }

        TaskCompletionSource changed = _versionChanged;
        _versionChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }

    public async Task<ParameterSnapshot> PullAsync(long minVersion)
    {
        if (_core is null)
        {
            throw new InvalidOperationException($"Shard '{this.GetPrimaryKeyString()}' serves no job; start it first.");
        }

        TimeSpan wait = 2 * _setup!.BarrierTimeout;
        DateTime deadline = DateTime.UtcNow + wait;
        while (_version < minVersion)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                await _versionChanged.Task.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        return new ParameterSnapshot { Version = _version, Values = _core.CopyValues() };
    }

    public Task<ShardStatus> GetStatusAsync() => Task.FromResult(new ShardStatus
    {
        JobId = _setup?.JobId ?? "",
        Version = _version,
        CheckpointVersion = _checkpointVersion,
        Counters = _counters,
        Host = Hosting.HostInfoFactory.Create(RuntimeIdentity),
    });

    public async Task<long> RestoreCheckpointAsync(long reachedVersion)
    {
        await _state.ReadStateAsync();
        if (!_state.RecordExists || _state.State.Setup is null)
        {
            throw new InvalidOperationException($"Shard '{this.GetPrimaryKeyString()}' has no persisted checkpoint to restore.");
        }

        Load(_state.State);
        _counters = _counters with { Restores = _counters.Restores + 1, StepsLost = _counters.StepsLost + Math.Max(0, reachedVersion - _version) };
        TaskCompletionSource changed = _versionChanged;
        _versionChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
        return _version;
    }

    private PushResult Refuse(string reason)
    {
        _counters = _counters with { RefusedPushes = _counters.RefusedPushes + 1 };
        return new PushResult { Status = PushStatus.Refused, Version = _version, Reason = reason };
    }

    private void ResetOpenStep()
    {
        _openStep = -1;
        _parts = [];
        _received = 0;
        _rowsReceived = 0;
    }

    private void Load(ShardState state)
    {
        _setup = state.Setup!;
        OptimizerState? optimizer = state.OptimizerName.Length == 0 ? null : new OptimizerState(
            state.OptimizerName,
            state.OptimizerSteps,
            Array.ConvertAll(state.OptimizerTensors, t => MemoryMarshal.Cast<byte, double>(t).ToArray()),
            MemoryMarshal.Cast<byte, double>(state.OptimizerScalars).ToArray());
        _core = CreateCore(_setup, state.Values, optimizer);
        _version = state.Version;
        _checkpointVersion = state.Version;
        _counters = state.Counters;
        ResetOpenStep();
    }

    private async Task PersistAsync()
    {
        // A fresh object each time: an asynchronous push interleaving with the write cannot change what is written.
        OptimizerState optimizer = _core!.ExportOptimizer();
        _state.State = new ShardState
        {
            Setup = _setup,
            Values = _core.CopyValues(),
            Version = _version,
            OptimizerName = optimizer.StepCount == 0 && optimizer.Tensors.Count == 0 ? "" : optimizer.Optimizer,
            OptimizerSteps = optimizer.StepCount,
            OptimizerTensors = optimizer.Tensors.Select(t => MemoryMarshal.AsBytes(t.AsSpan()).ToArray()).ToArray(),
            OptimizerScalars = MemoryMarshal.AsBytes(optimizer.Scalars.ToArray().AsSpan()).ToArray(),
            Counters = _counters,
        };
        long version = _version;
        await _state.WriteStateAsync();
        _checkpointVersion = version;
    }

    private static IShardCore CreateCore(ShardSetup setup, byte[] values, OptimizerState? optimizer) => setup.Precision switch
    {
        Precision.Single => new ShardCore<float>(setup, values, optimizer),
        Precision.Double => new ShardCore<double>(setup, values, optimizer),
        _ => throw new ArgumentException($"Unknown precision {setup.Precision}.", nameof(setup)),
    };
}
