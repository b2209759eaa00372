using NeuralNet.Distributed.Messages;

namespace NeuralNet.Distributed.Grains;

/// <summary>
/// One shard of a job's parameter server: a contiguous key range of the flat parameter vector, its optimiser state and
/// a version number (Li et al., OSDI 2014). Workers speak three verbs to it, as to ps-lite's <c>KVWorker</c>:
/// <see cref="PushAsync"/> a gradient, <see cref="PullAsync"/> values (waiting for a version: ps-lite's <c>Wait</c>).
/// Keyed by <c>{jobId}/{shard}</c>.
/// </summary>
public interface IParameterShardGrain : IGrainWithStringKey
{
    /// <summary>Starts serving a job, or, with <paramref name="resume"/>, continues from the persisted checkpoint of
    /// the same job when there is one.</summary>
    /// <param name="setup">The key range's initial values, optimiser and mode.</param>
    /// <param name="resume">Whether to continue a persisted run of <see cref="ShardSetup.JobId"/>.</param>
    /// <returns>The version the shard serves from (0 for a fresh start).</returns>
    /// <exception cref="ArgumentException">The setup is inconsistent (pieces and values of different lengths, ...).</exception>
    Task<long> StartAsync(ShardSetup setup, bool resume);

    /// <summary>Offers a gradient for the key range; the guard refuses (and counts) pushes of the wrong length or
    /// holding NaN or infinity, so a faulty worker cannot corrupt the parameters.</summary>
    /// <param name="push">The gradient and its version.</param>
    Task<PushResult> PushAsync(GradientPush push);

    /// <summary>The values once the version is at least <paramref name="minVersion"/>, or the current values when
    /// that does not happen within twice the barrier timeout (the caller checks <see cref="ParameterSnapshot.Version"/>).</summary>
    /// <param name="minVersion">The version to wait for; 0 returns at once.</param>
    Task<ParameterSnapshot> PullAsync(long minVersion);

    /// <summary>Version, last checkpoint, counters and host.</summary>
    Task<ShardStatus> GetStatusAsync();

    /// <summary>Goes back to the last persisted checkpoint (as a shard that came back on another silo does), so all
    /// shards of a job agree on one version after a failure.</summary>
    /// <param name="reachedVersion">The version the job had reached, to count the steps lost.</param>
    /// <returns>The checkpoint's version.</returns>
    Task<long> RestoreCheckpointAsync(long reachedVersion);
}
