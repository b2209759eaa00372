using Orleans.Runtime;

namespace NeuralNet.Distributed.Placement;

/// <summary>Places a grain on the active silo whose name (<c>SiloOptions.SiloName</c>) is the grain's string key, and
/// nowhere else: a worker keyed by its silo's name lives and dies with that silo. (Orleans' own silo-role placement
/// keys by role, which is the same for every silo running one binary.)</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloNamePlacement : PlacementStrategy
{
    /// <summary>The single instance.</summary>
    public static SiloNamePlacement Singleton { get; } = new();
}
