namespace NeuralNet.Distributed.Messages;

/// <summary>One unit of work the driver hands a worker.</summary>
/// <remarks>Synchronous: compute part <see cref="Worker"/> of <see cref="WorkerCount"/> of global batch
/// <see cref="Batch"/> of <see cref="Epoch"/> on the parameters of version <see cref="Step"/>, push it, and wait for
/// version <c>Step + 1</c>. Asynchronous: compute batch <see cref="Batch"/> of block <see cref="Worker"/> of
/// <see cref="WorkerCount"/> of the epoch's rows on the newest parameters, and push it.</remarks>
[GenerateSerializer, Immutable]
public sealed record WorkerStep
{
    /// <summary>The job.</summary>
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>Synchronous mode: the step (= the parameter version it starts from).</summary>
    [Id(1)] public long Step { get; init; }

    /// <summary>Epoch, 0-based (selects the shuffle).</summary>
    [Id(2)] public int Epoch { get; init; }

    /// <summary>Batch within the epoch (synchronous) or within the worker's block (asynchronous), 0-based.</summary>
    [Id(3)] public int Batch { get; init; }

    /// <summary>The worker's position in the roster.</summary>
    [Id(4)] public int Worker { get; init; }

    /// <summary>Workers in the roster.</summary>
    [Id(5)] public int WorkerCount { get; init; } = 1;

    /// <summary>The learning rate of this step.</summary>
    [Id(6)] public double LearningRate { get; init; }

    /// <summary>Asynchronous mode: pushes refused as stale are recomputed on fresh parameters up to this many times.</summary>
    [Id(7)] public int StaleRetries { get; init; } = 4;
}
