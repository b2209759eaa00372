namespace NeuralNet.Distributed.Messages;

/// <summary>A worker's gradient for one shard's key range (ps-lite's <c>Push</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record GradientPush
{
    /// <summary>The job's identifier; a push for another job is refused.</summary>
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>The parameter version the gradient was computed on (in synchronous mode, the step it belongs to).</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>The worker's position in the step's roster, <c>[0, WorkerCount)</c>; parts are summed in this order.</summary>
    [Id(2)] public int Worker { get; init; }

    /// <summary>Synchronous mode: the number of parts the step expects.</summary>
    [Id(3)] public int WorkerCount { get; init; } = 1;

    /// <summary>Rows behind this part (synchronous mode: the worker's share of the global batch, possibly 0).</summary>
    [Id(4)] public int Rows { get; init; }

    /// <summary>Rows of the whole global batch; parts arrive pre-scaled by <c>Rows / BatchRows</c> so that their sum is
    /// the gradient of the global batch mean.</summary>
    [Id(5)] public int BatchRows { get; init; }

    /// <summary>The learning rate of this step (the driver evaluates the schedule).</summary>
    [Id(6)] public double LearningRate { get; init; }

    /// <summary>The gradient of the key range, raw little-endian elements of the job's precision.</summary>
    [Id(7)] public byte[] Gradient { get; init; } = [];
}
