using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NeuralNet.Distributed.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Distributed.Tests;

/// <summary>Silo processes and the client talk TLS with a certificate the test creates; a client without it is refused.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TlsTests : IDisposable
{
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"neuralnet-tls-{Guid.NewGuid():N}.pfx");

    public void Dispose() => File.Delete(_pfx);

    /// <summary>A self-signed RSA certificate for both ends (server and client authentication), as a PFX file for the
    /// silo processes and an in-memory certificate with its private key for the client.</summary>
    private X509Certificate2 CreateCertificate()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=neuralnet-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client authentication
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        byte[] pfx = created.Export(X509ContentType.Pfx);
        File.WriteAllBytes(_pfx, pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }

    [Fact]
    public async Task FitAsync_OverTls_TrainsAndAPlaintextClientIsRefused()
    {
        X509Certificate2 certificate = CreateCertificate();
        await using ProcessCluster cluster = await ProcessCluster.StartAsync(silos: 2, certificate, _pfx);
        IClusterClient client = await cluster.ConnectAsync();

        var network = SynchronousTrainingTests.NewNetwork<double>();
        DistributedTrainingResult result = await new DistributedTrainer<double>(client, new DistributedTrainerOptions
        {
            JobId = "tls",
            Data = new DataSourceReference(BlobsDataSource.SourceName, BlobsDataSource.Argument(120, 6, 3, 3)),
            Trainer = new TrainerOptions { Epochs = 2, BatchSize = 30, Optimizer = new Adam(0.01), Loss = Loss.SparseCategoricalCrossEntropy },
        }).FitAsync(network).WaitAsync(TimeSpan.FromMinutes(2));

        result.Counters.Version.Should().Be(8);
        result.Workers.Count(w => w.Steps > 0).Should().Be(2);

        // The same single-attempt connection with the certificate works, so the refusal below is the missing TLS.
        IClusterClient member = await cluster.ConnectAsync(retry: false);
        (await member.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Should().HaveCount(2);

        Func<Task> plaintext = async () =>
        {
            IClusterClient intruder = await cluster.ConnectAsync(cluster.Settings with { Certificate = null }, retry: false);
            await intruder.GetGrain<IManagementGrain>(0).GetHosts();
        };
        await plaintext.Should().ThrowAsync<Exception>().WaitAsync(TimeSpan.FromSeconds(60));
    }
}
