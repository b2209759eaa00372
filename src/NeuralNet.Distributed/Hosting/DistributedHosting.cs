using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using NeuralNet.Distributed.Data;
using Orleans.Configuration;
using StackExchange.Redis;

namespace NeuralNet.Distributed.Hosting;

/// <summary>Configures Orleans silos and clients for distributed training from one <see cref="DistributedClusterSettings"/>:
/// membership (Redis or localhost), shard storage (Redis or memory), TLS, failure detection and timeouts.</summary>
public static class DistributedHosting
{
    /// <summary>Configures a silo: endpoints on <see cref="DistributedClusterSettings.Address"/>, membership, the
    /// <see cref="DistributedStorage.Name"/> storage, TLS, the distributed-training grains with the built-in data sources
    /// (<see cref="BlobsDataSource"/>, <see cref="CsvClassificationDataSource"/>, <see cref="IdxClassificationDataSource"/>) and those added by <paramref name="configure"/>.</summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="settings">The cluster settings.</param>
    /// <param name="name">The silo's name: workers are placed by it, so it must be unique in the cluster.</param>
    /// <param name="siloPort">The silo-to-silo port.</param>
    /// <param name="gatewayPort">The client gateway port.</param>
    /// <param name="configure">Registers more data sources.</param>
    /// <returns><paramref name="silo"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ISiloBuilder ConfigureTrainingSilo(this ISiloBuilder silo, DistributedClusterSettings settings, string name, int siloPort, int gatewayPort, Action<DistributedSiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        silo.Configure<SiloOptions>(o => o.SiloName = name);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        silo.ConfigureEndpoints(settings.Address, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        if (settings.Redis is { } redis)
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            silo.AddRedisGrainStorage(DistributedStorage.Name, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(settings.Address, settings.PrimarySiloPort), settings.ServiceId, settings.ClusterId);
            silo.AddMemoryGrainStorage(DistributedStorage.Name);
        }

        if (settings.Certificate is { } certificate)
        {
            silo.UseTls(certificate, o => Pin(o, certificate));
        }

        if (settings.FastFailureDetection)
        {
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }

        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
        silo.AddNeuralNetDistributed(o =>
        {
            o.AddDataSource(new BlobsDataSource());
            o.AddDataSource(new CsvClassificationDataSource());
            o.AddDataSource(new IdxClassificationDataSource());
            configure?.Invoke(o);
        });
        return silo;
    }

    /// <summary>Configures a client of a training cluster (the process that runs <see cref="DistributedTrainer{T}"/>).</summary>
    /// <param name="client">The client builder.</param>
    /// <param name="settings">The cluster settings.</param>
    /// <returns><paramref name="client"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IClientBuilder ConfigureTrainingClient(this IClientBuilder client, DistributedClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        if (settings.Redis is { } redis)
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        }
        else
        {
            client.UseLocalhostClustering(settings.GatewayPorts.ToArray(), settings.ServiceId, settings.ClusterId);
        }

        if (settings.Certificate is { } certificate)
        {
            client.UseTls(certificate, o => Pin(o, certificate));
        }

        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(settings.FastFailureDetection ? 1 : 30));
        if (settings.FastFailureDetection)
        {
            // A manifest that a just-started gateway returned incomplete is replaced within a second, not a minute.
            client.Configure<TypeManagementOptions>(o => o.TypeMapRefreshInterval = TimeSpan.FromSeconds(1));
        }

        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
        return client;
    }

    /// <summary>Accepts a peer only when it presents the cluster's own certificate (a shared, pinned certificate: the
    /// simplest scheme that needs no certificate authority; with a CA, validate the chain instead).</summary>
    private static void Pin(Orleans.Connections.Security.TlsOptions options, X509Certificate2 certificate)
    {
        string thumbprint = certificate.Thumbprint;
        options.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (remote, _, _) =>
            remote is not null && string.Equals(new X509Certificate2(remote).Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase);
    }
}
