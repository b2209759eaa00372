namespace NeuralNet.Distributed;

/// <summary>What the parameter server and the driver counted over a run, summed over shards.</summary>
/// <param name="Version">The parameter version at the end (optimiser steps applied and kept).</param>
/// <param name="PartsDropped">Synchronous mode: parts missing when a barrier timed out.</param>
/// <param name="LatePushes">Synchronous mode: parts that arrived after their step.</param>
/// <param name="StalePushes">Asynchronous mode: pushes refused as staler than the bound.</param>
/// <param name="RefusedPushes">Pushes refused by the guard (wrong length, NaN or infinity, bad header).</param>
/// <param name="Restores">Times the job went back to the shards' last checkpoint.</param>
/// <param name="StepsLost">Steps redone after those restores (at most <see cref="DistributedTrainerOptions.CheckpointEvery"/> each).</param>
/// <param name="WorkersLost">Workers the driver stopped using because a step of theirs failed or timed out.</param>
public sealed record ParameterServerCounters(long Version, long PartsDropped, long LatePushes, long StalePushes, long RefusedPushes, long Restores, long StepsLost, int WorkersLost);
