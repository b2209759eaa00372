using Orleans.Placement;

namespace NeuralNet.Distributed.Placement;

/// <summary>Marks a grain class as placed by <see cref="SiloNamePlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloNamePlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SiloNamePlacementAttribute()
        : base(SiloNamePlacement.Singleton)
    {
    }
}
