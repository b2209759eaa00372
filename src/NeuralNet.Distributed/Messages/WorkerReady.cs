namespace NeuralNet.Distributed.Messages;

/// <summary>A worker's answer once it has loaded a job.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerReady
{
    /// <summary>Training rows (after the validation hold-out).</summary>
    [Id(0)] public int TrainRows { get; init; }

    /// <summary>Scalars in the flat parameter layout.</summary>
    [Id(1)] public int ParameterCount { get; init; }

    /// <summary>Where the worker runs.</summary>
    [Id(2)] public HostInfo Host { get; init; } = new();
}
