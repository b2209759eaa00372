using NeuralNet.Distributed.Messages;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

using NeuralNet.Distributed.Data;

namespace NeuralNet.Distributed.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OptionsValidationTests(ClusterFixture fixture)
{
    private static DistributedTrainerOptions Valid => new() { Data = new DataSourceReference(BlobsDataSource.SourceName, "30,6,3,1") };

    [Fact]
    public void Constructor_FullBatchOptimizer_RefusedNamingIt()
    {
        var options = Valid with { Trainer = new TrainerOptions { Optimizer = new Lbfgs() } };

        Action act = () => _ = new DistributedTrainer<double>(fixture.Client, options);

        act.Should().Throw<NotSupportedException>().WithMessage("*lbfgs*RequiresFullBatch*");
    }

    [Fact]
    public void Constructor_IRprop_Refused()
    {
        Action act = () => _ = new DistributedTrainer<double>(fixture.Client, Valid with { Trainer = new TrainerOptions { Optimizer = new IRprop() } });

        act.Should().Throw<NotSupportedException>().WithMessage("*whole training set*");
    }

    [Fact]
    public void Constructor_ClippingWithTwoShards_Refused()
    {
        Action act = () => _ = new DistributedTrainer<double>(fixture.Client, Valid with { Shards = 2, Trainer = new TrainerOptions { GradientClipNorm = 1 } });

        act.Should().Throw<NotSupportedException>().WithMessage("*Shards = 2*");
    }

    [Theory]
    [InlineData(0, "Shards")]
    [InlineData(-1, "CheckpointEvery")]
    public void Constructor_NonPositiveCounts_ThrowWithOptionName(int value, string name)
    {
        DistributedTrainerOptions options = name == "Shards" ? Valid with { Shards = value } : Valid with { CheckpointEvery = value };

        Action act = () => _ = new DistributedTrainer<double>(fixture.Client, options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name).WithMessage($"*Received: {name}={value}*");
    }

    [Fact]
    public void Constructor_NoDataSource_Throws()
    {
        Action act = () => _ = new DistributedTrainer<double>(fixture.Client, new DistributedTrainerOptions());

        act.Should().Throw<ArgumentException>().WithParameterName("Data");
    }

    [Fact]
    public async Task FitAsync_UnknownDataSource_ThrowsNamingTheRegisteredOnes()
    {
        var options = Valid with { JobId = "unknown-source", Data = new DataSourceReference("nope"), Trainer = new TrainerOptions { Loss = Loss.SparseCategoricalCrossEntropy } };
        var trainer = new DistributedTrainer<double>(fixture.Client, options);

        Func<Task> act = () => trainer.FitAsync(SynchronousTrainingTests.NewNetwork<double>()).WaitAsync(TimeSpan.FromMinutes(1));

        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("*'nope'*registered: blobs*");
    }

    [Fact]
    public void OptimizerSpec_RoundTripsEveryMiniBatchOptimizer()
    {
        IOptimizer[] optimizers = [new Sgd(0.2), new Momentum(0.1, 0.8, nesterov: true), new Adam(0.003, 0.8, 0.99, 1e-6, 0.01), new RmsProp(0.01, 0.95, 1e-6), new AdaGrad(0.05, 1e-6, 0.1)];
        foreach (IOptimizer optimizer in optimizers)
        {
            IOptimizer rebuilt = OptimizerSpec.From(optimizer).Create();
            rebuilt.Name.Should().Be(optimizer.Name);
            rebuilt.LearningRate.Should().Be(optimizer.LearningRate);
            rebuilt.Should().BeEquivalentTo(optimizer, o => o.RespectingRuntimeTypes());
        }
    }
}
