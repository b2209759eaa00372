namespace NeuralNet.Distributed.Messages;

/// <summary>What a worker reports after a step.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerStepResult
{
    /// <summary>Rows the worker computed.</summary>
    [Id(0)] public int Rows { get; init; }

    /// <summary>The sum over its rows of the training loss (batch-mean loss times rows, with its share of the L2 penalty).</summary>
    [Id(1)] public double LossSum { get; init; }

    /// <summary>Seconds spent in forward and backward passes.</summary>
    [Id(2)] public double ComputeSeconds { get; init; }

    /// <summary>Bytes of gradients pushed and parameters pulled (payload only).</summary>
    [Id(3)] public long Bytes { get; init; }

    /// <summary>The lowest shard version the worker holds after the step.</summary>
    [Id(4)] public long Version { get; init; }

    /// <summary>Pushes a shard refused as stale (asynchronous) or late (synchronous).</summary>
    [Id(5)] public int Rejected { get; init; }

    /// <summary>Whether the step's gradient was applied by every shard.</summary>
    [Id(6)] public bool Applied { get; init; }
}
