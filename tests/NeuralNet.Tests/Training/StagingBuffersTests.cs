using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>The staging buffers are shared by every fit of the process: these tests run alone.</summary>
[CollectionDefinition(nameof(StagingBuffersCollection), DisableParallelization = true)]
public sealed class StagingBuffersCollection;

[Collection(nameof(StagingBuffersCollection))]
public sealed class StagingBuffersTests
{
    public StagingBuffersTests() => StagingBuffers<double>.Clear();

    private static Network<double> Network(int seed) =>
        new NetworkBuilder<double>(16).WithSeed(seed).AddDense(8, Activation.Tanh).AddDense(2, Activation.Identity).Build();

    private static (Matrix<double> X, Matrix<double> Y) Data(int rows, int seed)
    {
        var random = new RandomSource(seed);
        return (Matrix<double>.Build.Dense(rows, 16, (_, _) => random.NextGaussian()), Matrix<double>.Build.Dense(rows, 2, (_, _) => random.NextGaussian()));
    }

    private static Trainer<double> NewTrainer() =>
        new(new TrainerOptions { Epochs = 2, BatchSize = 8, Seed = 3, Optimizer = new Adam(0.01), Loss = Loss.MeanSquaredError });

    private static double[] State(Network<double> network)
    {
        var state = new double[network.ParameterSet.StateLength];
        network.ParameterSet.CopyStateTo(state);
        return state;
    }

    [Fact]
    public void AFreshTrainer_ReusesTheBufferOfAFinishedFit_AndTrainsAsOnAFreshBuffer()
    {
        // A first fit on more rows of other data leaves its copy in the buffer.
        var (bigX, bigY) = Data(100, 1);
        Trainer<double> first = NewTrainer();
        first.Fit(Network(1), bigX, bigY);
        double[]? lent = first.LastStaging;
        lent.Should().NotBeNull();

        var (x, y) = Data(80, 2);
        Trainer<double> second = NewTrainer();
        Network<double> reused = Network(2);
        second.Fit(reused, x, y);
        second.LastStaging.Should().BeSameAs(lent, "a new trainer takes the buffer the finished fit gave back");

        // The same fit on a buffer of its own: the pool emptied first, so the gatherer allocates one.
        StagingBuffers<double>.Clear();
        Network<double> fresh = Network(2);
        Trainer<double> third = NewTrainer();
        third.Fit(fresh, x, y);
        third.LastStaging.Should().NotBeSameAs(lent);
        State(reused).Should().Equal(State(fresh), "only the memory is reused; the copy is rewritten by each fit");
    }

    [Fact]
    public void ASmallFit_LeavesALargeBufferToTheTrainerThatNeedsIt()
    {
        var (bigX, bigY) = Data(300, 3);
        Trainer<double> large = NewTrainer();
        large.Fit(Network(3), bigX, bigY);
        double[]? largeBuffer = large.LastStaging;

        var (x, y) = Data(40, 4);
        Trainer<double> small = NewTrainer();
        small.Fit(Network(4), x, y);
        small.LastStaging.Should().NotBeSameAs(largeBuffer, "a buffer over twice the rows needed is not taken");
        small.LastStaging!.Length.Should().BeLessThan(largeBuffer!.Length);

        large.Fit(Network(3), bigX, bigY);
        large.LastStaging.Should().BeSameAs(largeBuffer, "the large fit gets its buffer back after the small one");
        small.Fit(Network(4), x, y);
        small.LastStaging.Should().NotBeSameAs(largeBuffer);
    }

    [Fact]
    public void AFitStartedDuringAnother_GetsABufferOfItsOwn()
    {
        var (x, y) = Data(40, 5);
        Trainer<double> outer = NewTrainer();
        Network<double> network = Network(5);
        outer.Fit(network, x, y);
        double[]? outerBuffer = outer.LastStaging;
        outerBuffer.Should().NotBeNull();

        Trainer<double> inner = NewTrainer();
        bool started = false;
        outer.Fit(network, x, y, null, null, onBatch: _ =>
        {
            if (!started)
            {
                started = true;
                inner.Fit(Network(6), x, y);
            }
        });

        started.Should().BeTrue();
        outer.LastStaging.Should().BeSameAs(outerBuffer, "the outer fit took its own buffer back");
        inner.LastStaging.Should().NotBeNull().And.NotBeSameAs(outerBuffer, "the outer fit held its buffer while the inner one ran");
    }
}
