using Microsoft.Extensions.DependencyInjection;
using NeuralNet.Distributed.Placement;

namespace NeuralNet.Distributed;

/// <summary>Registers the parameter-server and worker grains' services on a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Makes this silo able to host parameter-server shards and a training worker, with the data sources
    /// its worker may load. A grain storage provider named <see cref="DistributedStorage.Name"/> must be registered
    /// too (memory for tests, Redis or another durable store for real clusters).</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Registers data sources.</param>
    /// <returns><paramref name="builder"/>, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ISiloBuilder AddNeuralNetDistributed(this ISiloBuilder builder, Action<DistributedSiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DistributedSiloOptions>().Configure(o => configure?.Invoke(o));
        builder.AddPlacementDirector<SiloNamePlacement, SiloNamePlacementDirector>();
        return builder;
    }
}
