using NeuralNet.Training;

namespace NeuralNet.Distributed;

/// <summary>An epoch of distributed training: the single-node report plus the workers' throughput and the counters.</summary>
/// <param name="Report">Loss, validation loss, metrics, learning rate and duration, as the single-node trainer reports them.</param>
/// <param name="Workers">Each worker's share of the epoch.</param>
/// <param name="Counters">The counters so far.</param>
/// <param name="BytesPerStep">Payload bytes moved per step in the epoch (all workers, push and pull).</param>
public sealed record DistributedEpochReport(EpochReport Report, IReadOnlyList<WorkerStatistics> Workers, ParameterServerCounters Counters, double BytesPerStep);
