using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.Tests.Serialization;

public class CheckpointTests
{
    private static readonly Matrix<double> X = Matrix<double>.Build.Dense(50, 4, (i, j) => Math.Sin(i * 1.7 + j * 0.9) + (i % 3) * 0.5 * (j == 1 ? 1 : 0));
    private static readonly Matrix<double> Y = Matrix<double>.Build.Dense(50, 1, (i, _) => i % 3);

    private static Network<double> Build() => new NetworkBuilder<double>(4).WithSeed(21)
        .AddDense(10, Activation.Tanh)
        .AddBatchNorm()
        .AddDropout(0.3)
        .AddDense(3, Activation.Softmax)
        .Build();

    private static TrainerOptions Options(IOptimizer optimizer) =>
        new() { Epochs = 6, BatchSize = 8, Seed = 5, Optimizer = optimizer, Loss = Loss.SparseCategoricalCrossEntropy };

    private sealed class CancelAfter(int epoch, CancellationTokenSource source) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == epoch)
            {
                source.Cancel();
            }
        }
    }

    [Fact]
    public void Resume_FromCheckpointAfterEpoch3_EndsBitIdenticalToUninterruptedRun()
    {
        using var dir = new TempDirectory();
        string path = dir.File("run.ckpt");
        Network<double> straight = Build();
        new Trainer<double>(Options(new Adam(0.01))).Fit(straight, X, Y);

        // Interrupted run: checkpoints every 3 epochs, cancelled after epoch 3.
        Network<double> first = Build();
        var adam = new Adam(0.01);
        using var cancel = new CancellationTokenSource();
        var writer = new CheckpointWriter<double>(path, first, adam, everyEpochs: 3, inner: new CancelAfter(3, cancel));
        TrainingHistory partial = new Trainer<double>(Options(adam)).Fit(first, X, Y, writer, cancel.Token);
        partial.Epochs.Should().HaveCount(3);
        writer.LastCheckpointEpoch.Should().Be(3);

        // Resume in a "new process": everything comes from the file.
        TrainingCheckpoint<double> checkpoint = Checkpoint.Load<double>(path);
        var resumedAdam = new Adam(0.01);
        checkpoint.RestoreOptimizer(resumedAdam);
        checkpoint.EpochsCompleted.Should().Be(3);
        new Trainer<double>(Options(resumedAdam)).Fit(checkpoint.Network, X, Y, null, null, initialEpoch: checkpoint.EpochsCompleted);

        for (int l = 0; l < straight.Layers.Count; l++)
        {
            var expected = straight.Layers[l].Parameters.Concat(straight.Layers[l].Buffers).ToArray();
            var actual = checkpoint.Network.Layers[l].Parameters.Concat(checkpoint.Network.Layers[l].Buffers).ToArray();
            for (int p = 0; p < expected.Length; p++)
            {
                actual[p].Value.ToArray().Should().Equal(expected[p].Value.ToArray(), $"layer {l} tensor {expected[p].Name} must match bit for bit");
            }
        }
    }

    [Fact]
    public void Resume_WithoutOptimizerState_Differs()
    {
        // The control for the test above: dropping the optimiser state changes the result, so the state matters.
        using var dir = new TempDirectory();
        string path = dir.File("run.ckpt");
        Network<double> straight = Build();
        new Trainer<double>(Options(new Adam(0.01))).Fit(straight, X, Y);
        Network<double> first = Build();
        var adam = new Adam(0.01);
        using var cancel = new CancellationTokenSource();
        new Trainer<double>(Options(adam)).Fit(first, X, Y, new CheckpointWriter<double>(path, first, adam, 3, inner: new CancelAfter(3, cancel)), cancel.Token);

        TrainingCheckpoint<double> checkpoint = Checkpoint.Load<double>(path);
        new Trainer<double>(Options(new Adam(0.01))).Fit(checkpoint.Network, X, Y, null, null, initialEpoch: 3);

        checkpoint.Network.Parameters[0].Value.ToArray().Should().NotEqual(straight.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void RestoreOptimizer_OtherKind_ThrowsArgument()
    {
        using var dir = new TempDirectory();
        Network<double> net = Build();
        Checkpoint.Save(dir.File("c.ckpt"), net, new Adam(), 0);

        Action act = () => Checkpoint.Load<double>(dir.File("c.ckpt")).RestoreOptimizer(new Sgd());

        act.Should().Throw<ArgumentException>().WithParameterName("optimizer");
    }

    [Fact]
    public void Load_PlainModelFile_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        ModelFile.Save(dir.File("m.nnm"), Build());

        Action act = () => Checkpoint.Load<double>(dir.File("m.nnm"));

        act.Should().Throw<InvalidDataFileException>().WithMessage("*without a 'checkpoint' section*");
    }

    [Fact]
    public void Load_OptimizerTensorTruncated_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Network<double> first = Build();
        var adam = new Adam(0.01);
        new Trainer<double>(Options(adam) with { Epochs = 1 }).Fit(first, X, Y);
        Checkpoint.Save(path, first, adam, 1);
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("optimizer/0.bin")!.Delete();
            using Stream s = zip.CreateEntry("optimizer/0.bin").Open();
            s.Write(new byte[8]);
        }

        Action act = () => Checkpoint.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*optimizer tensor 0*declares 8 bytes*");
    }
}
