namespace NeuralNet.Distributed.Messages;

/// <summary>Where an activation runs.</summary>
[GenerateSerializer, Immutable]
public sealed record HostInfo
{
    /// <summary>The silo's address.</summary>
    [Id(0)] public string Silo { get; init; } = "";

    /// <summary>The operating-system process id of the silo.</summary>
    [Id(1)] public int ProcessId { get; init; }
}
