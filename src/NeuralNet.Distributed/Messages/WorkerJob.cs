namespace NeuralNet.Distributed.Messages;

/// <summary>What a worker needs to compute gradients for a job: the network (a model file, architecture and initial
/// weights), the data to load itself, the loss and the data order.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerJob
{
    /// <summary>The job's identifier.</summary>
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>Element type.</summary>
    [Id(1)] public Precision Precision { get; init; }

    /// <summary>The network as a NeuralNet model file (<c>ModelFile.Save</c>).</summary>
    [Id(2)] public byte[] Model { get; init; } = [];

    /// <summary>The training data, loaded by the worker.</summary>
    [Id(3)] public DataSourceReference Data { get; init; } = new("");

    /// <summary>The loss's <c>ILoss.Name</c>.</summary>
    [Id(4)] public string Loss { get; init; } = "";

    /// <summary>Seed of the shuffles (as <c>TrainerOptions.Seed</c>).</summary>
    [Id(5)] public long Seed { get; init; }

    /// <summary>Whether rows are shuffled every epoch.</summary>
    [Id(6)] public bool Shuffle { get; init; } = true;

    /// <summary>Rows per global batch (synchronous) or per worker batch (asynchronous).</summary>
    [Id(7)] public int BatchSize { get; init; }

    /// <summary>Fraction of rows held out from the end before shuffling, as <c>TrainerOptions.ValidationFraction</c>.</summary>
    [Id(8)] public double ValidationFraction { get; init; }

    /// <summary>Shard boundaries in the flat layout: shard s holds <c>[ShardOffsets[s], ShardOffsets[s+1])</c>.</summary>
    [Id(9)] public int[] ShardOffsets { get; init; } = [];

    /// <summary>Synchronous or asynchronous.</summary>
    [Id(10)] public ParameterServerMode Mode { get; init; }

    /// <summary>L2 penalty λ: each worker's objective adds λ/2 Σw² to its loss and λw to its gradient, as the single-node loop does.</summary>
    [Id(12)] public double L2 { get; init; }
}
