using NeuralNet.Activations;
using NeuralNet.Distributed.Data;
using NeuralNet.Optimizers;

namespace NeuralNet.Distributed.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AsynchronousTrainingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task FitAsync_StalenessTwo_FinalLossWithinTenPercentOfSynchronous()
    {
        // Five overlapping classes in two dimensions: the loss levels off well above zero, so 10 % is a real margin.
        var trainer = SynchronousTrainingTests.Options(new Adam(0.01), epochs: 8);
        var data = new DataSourceReference(BlobsDataSource.SourceName, BlobsDataSource.Argument(300, 2, 5, 3));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Network<double> NewNetwork() => new NetworkBuilder<double>(2).WithSeed(7).AddDense(16, Activation.Tanh).AddDense(5, Activation.Softmax).Build();

        DistributedTrainingResult sync = await new DistributedTrainer<double>(fixture.Client,
            SynchronousTrainingTests.Distributed("async-reference", trainer) with { Data = data }).FitAsync(NewNetwork()).WaitAsync(timeout.Token);

        DistributedTrainingResult bounded = await new DistributedTrainer<double>(fixture.Client,
            SynchronousTrainingTests.Distributed("async-bounded", trainer) with { Data = data, Mode = ParameterServerMode.Asynchronous, Staleness = 2 })
            .FitAsync(NewNetwork()).WaitAsync(timeout.Token);

        bounded.Epochs.Should().HaveCount(8);
        bounded.Counters.Version.Should().BeGreaterThan(70, "about 8 epochs x 10 batches are applied, less the stale ones redone");
        bounded.Workers.Count(w => w.Steps > 0).Should().Be(3);
        double first = bounded.Loss[0], last = bounded.Loss[^1];
        last.Should().BeLessThan(0.8 * first, "asynchronous training must learn");
        sync.Loss[^1].Should().BeGreaterThan(0.1, "the problem must not be so easy that every loss is near zero");
        Math.Abs(last - sync.Loss[^1]).Should().BeLessThan(0.1 * sync.Loss[^1]);
    }

    [Fact]
    public async Task FitAsync_StalenessZero_RefusesStalePushesAndCountsThem()
    {
        // With three workers pushing concurrently and no staleness allowed, pushes computed on an old version are
        // refused, counted, and recomputed on fresh parameters.
        var trainer = SynchronousTrainingTests.Options(new Adam(0.01), epochs: 3);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var network = SynchronousTrainingTests.NewNetwork<double>();
        DistributedTrainingResult result = await new DistributedTrainer<double>(fixture.Client,
            SynchronousTrainingTests.Distributed("async-strict", trainer) with { Mode = ParameterServerMode.Asynchronous, Staleness = 0 })
            .FitAsync(network).WaitAsync(timeout.Token);

        result.Epochs.Should().HaveCount(3);
        result.Counters.StalePushes.Should().BeGreaterThan(0);
        result.Counters.RefusedPushes.Should().Be(0);
    }
}
