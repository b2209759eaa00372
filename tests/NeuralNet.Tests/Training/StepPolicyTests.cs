using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>The step seam: custom policies plug into the trainer's loop without copying it.</summary>
public class StepPolicyTests
{
    private static (Matrix<double> X, Matrix<double> Y) Data(int rows)
    {
        var random = new RandomSource(9);
        Matrix<double> x = Matrix<double>.Build.Dense(rows, 5, (_, _) => random.NextGaussian());
        Matrix<double> y = Matrix<double>.Build.Dense(rows, 3);
        for (int i = 0; i < rows; i++)
        {
            y[i, (x[i, 0] + x[i, 1] - x[i, 2] > 0 ? 1 : 0) + (x[i, 3] > 0.5 ? 1 : 0)] = 1;
        }

        return (x, y);
    }

    private static Network<double> Net() =>
        new NetworkBuilder<double>(5).WithSeed(12).AddDense(8, Activation.Tanh).AddDense(6, Activation.ReLU).AddDense(3, Activation.Softmax).Build();

    private static TrainerOptions Options() => new()
    {
        Epochs = 4, BatchSize = 10, Seed = 3, L2 = 1e-3, Optimizer = new Adam(0.02), Loss = Loss.CategoricalCrossEntropy,
    };

    /// <summary>Data parallelism in miniature: two replicas compute the gradients of the two halves of each batch; the
    /// policy sums them, each weighted by its share of the rows, into the trained network and steps.</summary>
    private sealed class TwoReplicaStep : IStepPolicy<double>
    {
        private readonly Network<double>[] _replicas = [Net(), Net()];
        private readonly double[] _flat = new double[Net().ParameterSet.Length];

        public int Steps { get; private set; }

        public ValueTask StepAsync(StepContext<double> step, CancellationToken cancellationToken)
        {
            ParameterSet<double> shared = step.Parameters;
            shared.CopyValuesTo<double>(_flat);
            int rows = step.Rows, first = rows / 2;
            int inputs = step.Network.InputSize, targets = step.Targets.Length / rows;
            shared.ClearGradients();
            for (int r = 0; r < 2; r++)
            {
                int start = r == 0 ? 0 : first, count = r == 0 ? first : rows - first;
                if (count == 0)
                {
                    continue;
                }

                // The replica's part, column-major [count x columns].
                double[] x = Slice(step.Inputs.Span, rows, inputs, start, count);
                double[] y = Slice(step.Targets.Span, rows, targets, start, count);
                var replica = new BatchObjective<double>(_replicas[r], step.Options.Loss, step.Options.L2);
                _replicas[r].ParameterSet.SetValues<double>(_flat);
                replica.Compute(x, y, count);
                var g = new double[_flat.Length];
                _replicas[r].ParameterSet.CopyGradientsTo<double>(g);
                shared.AddGradients(g, (double)count / rows);
            }

            Steps++;
            return LocalStep<double>.Instance.StepAsync(step, cancellationToken);
        }

        private static double[] Slice(ReadOnlySpan<double> source, int rows, int columns, int start, int count)
        {
            var part = new double[count * columns];
            for (int j = 0; j < columns; j++)
            {
                source.Slice(j * rows + start, count).CopyTo(part.AsSpan(j * count, count));
            }

            return part;
        }
    }

    [Fact]
    public void CustomPolicy_TwoReplicasOnHalves_EqualsSingleNetworkTo1e12()
    {
        var (x, y) = Data(95); // 10 batches, the last of 5 rows
        Network<double> single = Net(), split = Net();
        new Trainer<double>(Options()).Fit(single, x, y);
        var policy = new TwoReplicaStep();
        new Trainer<double>(Options(), policy).Fit(split, x, y);

        policy.Steps.Should().Be(40);
        var a = new double[single.ParameterSet.Length];
        var b = new double[a.Length];
        single.ParameterSet.CopyValuesTo<double>(a);
        split.ParameterSet.CopyValuesTo<double>(b);
        a.Zip(b, (p, q) => Math.Abs(p - q)).Max().Should().BeLessThan(1e-12);
        a.Should().NotEqual(b, "the sums run in another order, so bit equality would mean the policy was not used");
    }

    /// <summary>A step that really goes asynchronous (as a network round trip would) before the local step.</summary>
    private sealed class YieldingStep : IStepPolicy<double>
    {
        public async ValueTask StepAsync(StepContext<double> step, CancellationToken cancellationToken)
        {
            await Task.Yield();
            await LocalStep<double>.Instance.StepAsync(step, cancellationToken);
        }
    }

    [Fact]
    public async Task FitAsync_WithAsynchronousStep_EqualsSynchronousFitBitForBit()
    {
        var (x, y) = Data(60);
        Network<double> sync = Net(), async = Net();
        new Trainer<double>(Options()).Fit(sync, x, y);
        TrainingHistory history = await new Trainer<double>(Options(), new YieldingStep()).FitAsync(async, x, y);

        history.Epochs.Should().HaveCount(4);
        var a = new double[sync.ParameterSet.Length];
        var b = new double[a.Length];
        sync.ParameterSet.CopyValuesTo<double>(a);
        async.ParameterSet.CopyValuesTo<double>(b);
        b.Should().Equal(a);
    }

    [Fact]
    public void StepContext_DescribesTheBatch()
    {
        var (x, y) = Data(25);
        var seen = new List<(int Epoch, int Batch, int Count, int Rows, int Inputs, int Targets, int Indices, double Rate)>();
        var probe = new ProbeStep(s => seen.Add((s.Epoch, s.Batch, s.BatchCount, s.Rows, s.Inputs.Length, s.Targets.Length, s.RowIndices.Length, s.LearningRate)));
        new Trainer<double>(Options() with { Epochs = 1 }, probe).Fit(Net(), x, y);

        // 25 rows in batches of 10: 10, 10, 5.
        seen.Should().Equal((1, 1, 3, 10, 50, 30, 10, 0.02), (1, 2, 3, 10, 50, 30, 10, 0.02), (1, 3, 3, 5, 25, 15, 5, 0.02));
    }

    private sealed class ProbeStep(Action<StepContext<double>> onStep) : IStepPolicy<double>
    {
        public ValueTask StepAsync(StepContext<double> step, CancellationToken cancellationToken)
        {
            onStep(step);
            return LocalStep<double>.Instance.StepAsync(step, cancellationToken);
        }
    }

    /// <summary>Worker 1 of 2: the second half of each global batch of 10, as a data-parallel worker samples.</summary>
    private sealed class SecondHalfSampler(int rows) : IBatchSampler
    {
        private readonly ShuffledBatchSampler _global = new(rows, 10, seed: 3);

        public int BatchCount => _global.BatchCount;

        public void BeginEpoch(int epoch) => _global.BeginEpoch(epoch);

        public ReadOnlySpan<int> GetBatch(int batch)
        {
            ReadOnlySpan<int> all = _global.GetBatch(batch);
            return all[(all.Length / 2)..];
        }
    }

    [Fact]
    public async Task CustomSampler_FeedsOnlyItsRows_AndTheRowIndicesSayWhich()
    {
        var (x, y) = Data(21); // global batches 10, 10, 1: the last half-batch of worker 1 holds 1 row
        var rows = new List<int[]>();
        var reference = new ShuffledBatchSampler(21, 10, seed: 3);
        reference.BeginEpoch(0);
        var probe = new ProbeStep(s => rows.Add(s.RowIndices.ToArray()));
        var loop = new TrainingLoop<double>(Net(), Options() with { Epochs = 1 }, x, y, sampler: new SecondHalfSampler(21), step: probe);
        await loop.RunAsync();

        rows.Should().HaveCount(3);
        rows[0].Should().Equal(reference.GetBatch(0)[5..].ToArray());
        rows[1].Should().Equal(reference.GetBatch(1)[5..].ToArray());
        rows[2].Should().Equal(reference.GetBatch(2).ToArray());
    }

    /// <summary>Worker 0 of 3 on global batches of 2: some of its parts are empty.</summary>
    private sealed class FirstThirdSampler(int rows) : IBatchSampler
    {
        private readonly ShuffledBatchSampler _global = new(rows, 2, seed: 3);

        public int BatchCount => _global.BatchCount;

        public void BeginEpoch(int epoch) => _global.BeginEpoch(epoch);

        public ReadOnlySpan<int> GetBatch(int batch) => _global.GetBatch(batch)[..(_global.GetBatch(batch).Length / 3)];
    }

    [Fact]
    public async Task EmptyBatch_GivesZeroGradientsAndRowsZero()
    {
        var (x, y) = Data(6);
        var seen = new List<(int Rows, double Norm, double Loss)>();
        var probe = new ProbeStep(s => seen.Add((s.Rows, s.Parameters.GradientNorm(), s.Loss)));
        Network<double> net = Net();
        var before = new double[net.ParameterSet.Length];
        net.ParameterSet.CopyValuesTo<double>(before);
        TrainingHistory history = await new TrainingLoop<double>(net, Options() with { Epochs = 1, Optimizer = new Sgd(0.1) }, x, y, sampler: new FirstThirdSampler(6), step: probe)
            .RunAsync();

        seen.Should().Equal((0, 0.0, 0.0), (0, 0.0, 0.0), (0, 0.0, 0.0));
        history.Epochs[0].Loss.Should().Be(0);
        var after = new double[before.Length];
        net.ParameterSet.CopyValuesTo<double>(after);
        after.Should().Equal(before, "SGD on zero gradients leaves the weights");
    }

    [Fact]
    public void ShuffledBatchSampler_ReplaysAnEarlierEpochExactly()
    {
        var sampler = new ShuffledBatchSampler(17, 5, seed: 8);
        sampler.BatchCount.Should().Be(4);
        var epochs = new List<int[]>();
        for (int e = 0; e < 3; e++)
        {
            sampler.BeginEpoch(e);
            epochs.Add(Enumerable.Range(0, 4).SelectMany(b => sampler.GetBatch(b).ToArray()).ToArray());
        }

        epochs[0].Should().BeEquivalentTo(Enumerable.Range(0, 17));
        epochs[1].Should().NotEqual(epochs[0]);
        var fresh = new ShuffledBatchSampler(17, 5, seed: 8);
        fresh.BeginEpoch(2);
        Enumerable.Range(0, 4).SelectMany(b => fresh.GetBatch(b).ToArray()).Should().Equal(epochs[2]);
        sampler.BeginEpoch(1);
        Enumerable.Range(0, 4).SelectMany(b => sampler.GetBatch(b).ToArray()).Should().Equal(epochs[1]);
        Action act = () => sampler.GetBatch(4);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batch");
    }
}
