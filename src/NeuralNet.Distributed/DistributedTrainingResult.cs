using NeuralNet.Training;

namespace NeuralNet.Distributed;

/// <summary>What <see cref="DistributedTrainer{T}.FitAsync"/> returns: the history and the distributed run's figures.</summary>
/// <param name="Epochs">The epochs run, in order.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="BestEpoch">With early stopping: the best epoch (1-based).</param>
/// <param name="Steps">Optimiser steps applied by this call.</param>
/// <param name="Counters">The parameter server's and driver's counters.</param>
/// <param name="Workers">Each worker's share of the run.</param>
/// <param name="Elapsed">Wall time of the call.</param>
public sealed record DistributedTrainingResult(
    IReadOnlyList<DistributedEpochReport> Epochs,
    StopReason StopReason,
    int? BestEpoch,
    long Steps,
    ParameterServerCounters Counters,
    IReadOnlyList<WorkerStatistics> Workers,
    TimeSpan Elapsed)
{
    /// <summary>The training loss of each epoch.</summary>
    public double[] Loss => Epochs.Select(e => e.Report.Loss).ToArray();
}
