using System.Globalization;
using NeuralNet.Distributed.Internal;
using NeuralNet.Distributed.Messages;
using NeuralNet.Training;

namespace NeuralNet.Distributed;

/// <summary>Settings of a <see cref="DistributedTrainer{T}"/>, validated once when the trainer is created.</summary>
/// <remarks>The single-node settings (epochs, batch size, seed, optimiser, loss, L2, schedule, metrics, early stopping)
/// are the <see cref="Trainer"/> options, with the same meaning: in synchronous mode the global batch is
/// <see cref="TrainerOptions.BatchSize"/> rows, split across the workers.</remarks>
public sealed record DistributedTrainerOptions
{
    /// <summary>The training settings shared with single-node training. Full-batch optimisers (L-BFGS, iRPROP-) are
    /// refused; <see cref="TrainerOptions.GradientClipNorm"/> needs <see cref="Shards"/> = 1 (the clip uses the global
    /// norm); <see cref="TrainerOptions.HealthMonitor"/> is not supported.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>The training rows, loaded by each worker from a data source registered on its silo. Required.</summary>
    public DataSourceReference? Data { get; init; }

    /// <summary>Names the job: shard grains are <c>{JobId}/{shard}</c>, and a resumed job continues the persisted
    /// state of the same id. Default <c>job</c>.</summary>
    public string JobId { get; init; } = "job";

    /// <summary>Synchronous (default) or asynchronous with bounded staleness.</summary>
    public ParameterServerMode Mode { get; init; } = ParameterServerMode.Synchronous;

    /// <summary>Parameter-server shards S, at least 1: the flat parameter vector is cut into S contiguous key ranges of
    /// near-equal length, each held by its own grain, so no single silo carries all the traffic. Default 1.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>How many workers to use, at most one per silo; null (default) uses every active silo.</summary>
    public int? Workers { get; init; }

    /// <summary>When set, only silos with these names (<c>SiloOptions.SiloName</c>) run workers.</summary>
    public IReadOnlyList<string>? WorkerSilos { get; init; }

    /// <summary>Asynchronous mode: a gradient computed on version v is applied only while the server is at most this
    /// many versions ahead (the bounded delay of Li et al.); staler pushes are refused and recomputed. Default 2.</summary>
    public int Staleness { get; init; } = 2;

    /// <summary>Synchronous mode: how long a shard waits for the missing parts of a step before stepping without them
    /// (counted as dropped). Default 10 s.</summary>
    public TimeSpan BarrierTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The shards persist their state every this many steps (k), and at every epoch end; a shard that comes
    /// back after its silo died loses at most k steps. Default 20.</summary>
    public int CheckpointEvery { get; init; } = 20;

    /// <summary>Whether to continue the persisted run of <see cref="JobId"/> (from its last checkpoint) rather than start
    /// afresh from the network's weights. Default false.</summary>
    public bool Resume { get; init; }

    /// <summary>How long the driver waits for one worker's step before counting the worker as lost; default three
    /// barrier timeouts.</summary>
    public TimeSpan? StepTimeout { get; init; }

    /// <summary>How long the driver keeps retrying to reach the shards after a failure (while the cluster notices a
    /// dead silo and the shard comes back elsewhere). Default 2 minutes.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromMinutes(2);

    internal TimeSpan EffectiveStepTimeout => StepTimeout ?? 3 * BarrierTimeout;

    internal OptimizerSpec Validate()
    {
        ArgumentNullException.ThrowIfNull(Trainer, nameof(Trainer));
        if (Data is null || string.IsNullOrWhiteSpace(Data.Name))
        {
            throw new ArgumentException("DistributedTrainerOptions.Data must name a data source registered on the worker silos.", nameof(Data));
        }

        if (string.IsNullOrWhiteSpace(JobId) || JobId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"JobId must be non-empty and contain no '/'. Received: JobId='{JobId}'", nameof(JobId));
        }

        Positive(Shards, nameof(Shards));
        if (Workers is { } w)
        {
            Positive(w, nameof(Workers));
        }

        if (Staleness < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Staleness), Staleness, $"Staleness must be at least 0. Received: Staleness={Staleness}");
        }

        Positive(CheckpointEvery, nameof(CheckpointEvery));
        if (BarrierTimeout <= TimeSpan.Zero || EffectiveStepTimeout <= TimeSpan.Zero || RecoveryTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BarrierTimeout), string.Create(CultureInfo.InvariantCulture,
                $"BarrierTimeout, StepTimeout and RecoveryTimeout must be positive. Received: {BarrierTimeout}, {EffectiveStepTimeout}, {RecoveryTimeout}"));
        }

        if (Trainer.GradientClipNorm is not null && Shards > 1)
        {
            throw new NotSupportedException($"GradientClipNorm needs the norm of the whole gradient, which no shard sees when Shards = {Shards}; use Shards = 1 or no clipping.");
        }

        if (Trainer.HealthMonitor)
        {
            throw new NotSupportedException("TrainerOptions.HealthMonitor is not supported by distributed training (the driver holds no training rows).");
        }

        _ = LossNames.NameOf(Trainer.Loss);
        return OptimizerSpec.From(Trainer.Optimizer);
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1. Received: {name}={value}");
        }
    }
}
