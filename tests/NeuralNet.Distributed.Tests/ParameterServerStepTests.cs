using NeuralNet.Distributed.Data;
using NeuralNet.Distributed.Training;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Distributed.Tests;

/// <summary>The core training loop, unchanged, with the parameter-server step in its seam.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ParameterServerStepTests(ClusterFixture fixture)
{
    [Fact]
    public async Task TrainingLoops_ThreeWorkersThroughTheStepSeam_MatchSingleNodeTrainerWithin1e10()
    {
        TrainingData<double> data = BlobsDataSource.Generate<double>(300, 6, 3, 3);
        TrainerOptions options = SynchronousTrainingTests.Options(new Adam(0.01), l2: 1e-3);
        Network<double> single = SynchronousTrainingTests.NewNetwork<double>();
        new Trainer<double>(options).Fit(single, data.X, data.Y);

        const string Job = "seam-sync";
        const int Workers = 3;
        await ParameterServer.StartAsync(fixture.Client, SynchronousTrainingTests.NewNetwork<double>(),
            new ParameterServerOptions { JobId = Job, Optimizer = new Adam(0.01), Shards = 2, StepsPerEpoch = 10, BarrierTimeout = TimeSpan.FromSeconds(20) });
        var networks = new Network<double>[Workers];
        var loops = new Task<TrainingHistory>[Workers];
        for (int i = 0; i < Workers; i++)
        {
            networks[i] = SynchronousTrainingTests.NewNetwork<double>();
            var sampler = new GlobalBatchPartSampler(300, options.BatchSize, options.Seed, options.Shuffle, i, Workers);
            var loop = new TrainingLoop<double>(networks[i], options with { Optimizer = new Adam(0.01) }, data.X, data.Y,
                sampler: sampler, step: new ParameterServerStep<double>(fixture.Client, Job, shards: 2, ParameterServerMode.Synchronous, sampler));
            loops[i] = loop.RunAsync().AsTask();
        }

        TrainingHistory[] histories = await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(3));

        histories.Should().OnlyContain(h => h.BatchesCompleted == 50);
        double[] expected = SynchronousTrainingTests.Weights(single);
        foreach (Network<double> network in networks)
        {
            double[] actual = SynchronousTrainingTests.Weights(network);
            actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max().Should().BeLessThan(1e-10);
        }

        SynchronousTrainingTests.Weights(networks[1]).Should().Equal(SynchronousTrainingTests.Weights(networks[0]), "every worker pulls the same weights");
    }
}
