namespace NeuralNet.Distributed.Messages;

/// <summary>A run of a shard's key range that lies inside one parameter tensor of the flat layout.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardPiece
{
    /// <summary>The tensor's name in the flat layout, e.g. <c>0.W</c>, with the element range, e.g. <c>0.W[0:4096]</c>.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>Scalars in the piece, at least 1.</summary>
    [Id(1)] public int Length { get; init; }

    /// <summary>Whether L2 penalties and decoupled weight decay apply (weights yes, biases no).</summary>
    [Id(2)] public bool IsRegularized { get; init; }
}
