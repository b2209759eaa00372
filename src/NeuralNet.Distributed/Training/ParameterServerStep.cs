using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Internal;
using NeuralNet.Distributed.Messages;
using NeuralNet.Training;

namespace NeuralNet.Distributed.Training;

/// <summary>
/// The step seam of the core training loop, pointed at a parameter server: instead of stepping the optimiser locally,
/// it pushes the batch's gradient (its share of the global batch in synchronous mode) to the shards, waits for the new
/// version and copies the new weights into the network. The training loop does not know it is distributed (as PyTorch's
/// DistributedDataParallel reduces gradients in a hook between backward and the optimiser step).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <example>
/// <code>
/// await ParameterServer.StartAsync(client, network, new ParameterServerOptions { JobId = "j", Optimizer = new Adam(0.01) });
/// var sampler = new GlobalBatchPartSampler(rows, 128, seed, shuffle: true, worker: i, workers: n);
/// var loop = new TrainingLoop&lt;float&gt;(network, options, x, y, sampler: sampler,
///     step: new ParameterServerStep&lt;float&gt;(client, "j", shards: 1, ParameterServerMode.Synchronous, sampler));
/// await loop.RunAsync();
/// </code>
/// </example>
public sealed class ParameterServerStep<T> : IStepPolicy<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IParameterShardGrain[] _shards;
    private readonly string _jobId;
    private readonly ParameterServerMode _mode;
    private readonly GlobalBatchPartSampler? _sampler;
    private long[] _versions = [];
    private int[] _offsets = [];
    private T[] _flat = [];

    /// <summary>Creates the step.</summary>
    /// <param name="grains">The cluster.</param>
    /// <param name="jobId">The job whose shards were started with <see cref="ParameterServer.StartAsync{T}"/>.</param>
    /// <param name="shards">The job's shard count.</param>
    /// <param name="mode">Must match the server's mode.</param>
    /// <param name="sampler">Synchronous mode: this worker's sampler (its position, the worker count and the global
    /// batch sizes); ignored in asynchronous mode.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="jobId"/> is null, or
    /// <paramref name="sampler"/> is null in synchronous mode.</exception>
    public ParameterServerStep(IGrainFactory grains, string jobId, int shards, ParameterServerMode mode, GlobalBatchPartSampler? sampler)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        if (mode == ParameterServerMode.Synchronous)
        {
            ArgumentNullException.ThrowIfNull(sampler);
        }

        _jobId = jobId;
        _mode = mode;
        _sampler = sampler;
        _shards = Enumerable.Range(0, shards).Select(s => grains.GetGrain<IParameterShardGrain>(ShardKey.Of(jobId, s))).ToArray();
    }

    /// <summary>Pushes were refused as stale or late (counted, then recomputed on fresh weights by the next batch).</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A shard refused the push (wrong length, NaN or infinity) or did not
    /// reach the next version within twice its barrier timeout.</exception>
    public async ValueTask StepAsync(StepContext<T> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_flat.Length != step.Parameters.Length)
        {
            _offsets = ParameterServer.ShardOffsets(step.Parameters.Length, _shards.Length);
            _flat = new T[step.Parameters.Length];
            _versions = new long[_shards.Length];
            await PullAsync(step, 0, cancellationToken); // the version the first gradient was computed on
        }

        step.Parameters.CopyGradientsTo<T>(_flat);
        int rows = step.Rows, batchRows = rows;
        int worker = 0, workers = 1;
        if (_mode == ParameterServerMode.Synchronous)
        {
            // The loop gives the mean over this worker's rows; (rows / m) makes the parts sum to the global mean.
            batchRows = _sampler!.GlobalRows(step.Batch - 1);
            worker = _sampler.Worker;
            workers = _sampler.Workers;
            if (rows != batchRows)
            {
                TensorPrimitives.Multiply(_flat, T.CreateTruncating(rows / (double)batchRows), _flat);
            }
        }

        var pushes = new Task<PushResult>[_shards.Length];
        for (int s = 0; s < _shards.Length; s++)
        {
            pushes[s] = _shards[s].PushAsync(new GradientPush
            {
                JobId = _jobId, Version = _versions[s], Worker = worker, WorkerCount = workers, Rows = rows, BatchRows = batchRows,
                LearningRate = step.LearningRate,
                Gradient = MemoryMarshal.AsBytes(_flat.AsSpan(_offsets[s], _offsets[s + 1] - _offsets[s])).ToArray(),
            });
        }

        PushResult[] results = await Task.WhenAll(pushes).WaitAsync(cancellationToken);
        foreach (PushResult r in results)
        {
            if (r.Status == PushStatus.Refused)
            {
                throw new InvalidOperationException($"A shard of job '{_jobId}' refused the push of epoch {step.Epoch}, batch {step.Batch}: {r.Reason}");
            }

            Rejected += r.Status == PushStatus.Accepted ? 0 : 1;
        }

        await PullAsync(step, _mode == ParameterServerMode.Synchronous ? _versions.Max() + 1 : 0, cancellationToken);
    }

    private async Task PullAsync(StepContext<T> step, long minVersion, CancellationToken cancellationToken)
    {
        ParameterSnapshot[] snapshots = await Task.WhenAll(_shards.Select(s => s.PullAsync(minVersion))).WaitAsync(cancellationToken);
        for (int s = 0; s < _shards.Length; s++)
        {
            if (snapshots[s].Version < minVersion)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Shard {s} of job '{_jobId}' stayed at version {snapshots[s].Version}; the step waited for {minVersion}."));
            }

            MemoryMarshal.Cast<byte, T>(snapshots[s].Values).CopyTo(_flat.AsSpan(_offsets[s], _offsets[s + 1] - _offsets[s]));
            _versions[s] = snapshots[s].Version;
        }

        step.Parameters.SetValues<T>(_flat);
    }
}
