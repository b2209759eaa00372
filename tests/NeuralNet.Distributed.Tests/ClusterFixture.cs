using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

using NeuralNet.Distributed.Data;

namespace NeuralNet.Distributed.Tests;

/// <summary>An in-process Orleans cluster of four silos, each able to host shards and a worker, with in-memory grain
/// storage, shared by the tests of a collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Silos = 4;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(DistributedStorage.Name);
            silo.AddNeuralNetDistributed(o => o.AddDataSource(new BlobsDataSource()));
        });
        Cluster = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Cluster.DeployAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "in-process cluster";
}
