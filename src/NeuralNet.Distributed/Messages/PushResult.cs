namespace NeuralNet.Distributed.Messages;

/// <summary>A shard's answer to a push.</summary>
[GenerateSerializer, Immutable]
public sealed record PushResult
{
    /// <summary>What the shard did.</summary>
    [Id(0)] public PushStatus Status { get; init; }

    /// <summary>The shard's version after handling the push.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>Why a push was refused, naming what was received; null when accepted.</summary>
    [Id(2)] public string? Reason { get; init; }
}
