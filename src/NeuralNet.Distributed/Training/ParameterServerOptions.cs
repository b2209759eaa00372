using NeuralNet.Optimizers;

namespace NeuralNet.Distributed.Training;

/// <summary>How to start a job's parameter server with <see cref="ParameterServer.StartAsync{T}"/>.</summary>
public sealed record ParameterServerOptions
{
    /// <summary>The job's id: shard grains are <c>{JobId}/{shard}</c>.</summary>
    public string JobId { get; init; } = "job";

    /// <summary>The optimiser every shard runs on its key range (a mini-batch one). Default Adam(0.001).</summary>
    public IOptimizer Optimizer { get; init; } = new Adam();

    /// <summary>Synchronous or asynchronous.</summary>
    public ParameterServerMode Mode { get; init; } = ParameterServerMode.Synchronous;

    /// <summary>Shards S (key ranges), at least 1.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Asynchronous mode: the staleness bound.</summary>
    public int Staleness { get; init; } = 2;

    /// <summary>Checkpoint every k versions.</summary>
    public int CheckpointEvery { get; init; } = 20;

    /// <summary>Steps per epoch (epoch ends are checkpointed too); <see cref="int.MaxValue"/> for none.</summary>
    public int StepsPerEpoch { get; init; } = int.MaxValue;

    /// <summary>Synchronous mode: the barrier timeout.</summary>
    public TimeSpan BarrierTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clip of the global gradient norm (one shard only).</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>The data-order seed, persisted with the state.</summary>
    public long Seed { get; init; }

    /// <summary>Continue a persisted run of the same job instead of starting from the network's weights.</summary>
    public bool Resume { get; init; }
}
