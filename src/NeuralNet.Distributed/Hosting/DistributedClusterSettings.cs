using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace NeuralNet.Distributed.Hosting;

/// <summary>How silos and clients of a training cluster find each other, store state and secure their connections.
/// Defaults keep everything on loopback with no external service.</summary>
public sealed record DistributedClusterSettings
{
    /// <summary>The Orleans cluster id; silos and clients must agree. Default <c>neuralnet</c>.</summary>
    public string ClusterId { get; init; } = "neuralnet";

    /// <summary>The Orleans service id (keys persisted state across cluster restarts). Default <c>neuralnet</c>.</summary>
    public string ServiceId { get; init; } = "neuralnet";

    /// <summary>The address silos bind to and advertise. Default loopback: nothing listens beyond this machine unless
    /// a real address is configured.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>A StackExchange.Redis configuration (e.g. <c>127.0.0.1:6379</c>): Redis membership and Redis grain
    /// storage for the shards' checkpoints. When null, localhost clustering with a primary silo and in-memory storage
    /// (state is lost with its silo).</summary>
    public string? Redis { get; init; }

    /// <summary>Without Redis: the silo port of the primary silo (localhost clustering). Default 11111.</summary>
    public int PrimarySiloPort { get; init; } = 11111;

    /// <summary>Without Redis: the gateway ports a client connects to.</summary>
    public IReadOnlyList<int> GatewayPorts { get; init; } = [30000];

    /// <summary>When set, every silo-to-silo and client-to-silo connection uses TLS with this certificate (which must
    /// hold its private key), and a peer is accepted only if it presents a certificate with the same thumbprint.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Declare silos dead within a few seconds instead of Orleans' production defaults (tens of seconds): for
    /// tests and demos on one machine; keep the defaults on real networks.</summary>
    public bool FastFailureDetection { get; init; }

    /// <summary>How long a grain call may take before it fails; must exceed twice the barrier timeout (a worker's pull
    /// waits for the barrier). Default 60 s.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
