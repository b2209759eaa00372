using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
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

        ShouldMatchBitForBit(checkpoint.Network, straight);
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

    // Training loss as the monitor (no validation set). Losses of the uninterrupted run, epochs 1-8 (rate in brackets):
    // 1.3289 (0.01), 1.0468 (0.01), 0.8938 (0.01), 0.7263 (0.005), 0.6537 (0.005), 0.7103 (0.0025), 0.7047 (0.00125),
    // 0.6906 (0.000625). With minDelta 0.2 and patience 1: epoch 3 improves on 1.0468 by only 0.15 -> halve; epoch 4
    // improves by 0.32 -> new best 0.7263; epochs 5-7 do not -> halve each time. So the rate drops before and after
    // the checkpoint at epoch 4, and the checkpoint must carry epoch 4's new best (asserted below).
    private static ReduceOnPlateau Plateau() => new(factor: 0.5, patience: 1, minDelta: 0.2);

    private static TrainerOptions PlateauOptions(IOptimizer optimizer, ReduceOnPlateau schedule) =>
        Options(optimizer) with { Epochs = 8, Schedule = schedule };

    /// <summary>Trains 4 of 8 epochs with a checkpoint after epoch 4, then resumes from the file into a fresh network,
    /// optimiser and schedule; the schedule state is restored only when <paramref name="restoreSchedule"/>.</summary>
    private static (Network<double> Straight, TrainingHistory StraightHistory, TrainingHistory Resumed, TrainingCheckpoint<double> Checkpoint) RunPlateau(TempDirectory dir, bool restoreSchedule)
    {
        string path = dir.File("plateau.ckpt");
        Network<double> straight = Build();
        TrainingHistory straightHistory = new Trainer<double>(PlateauOptions(new Adam(0.01), Plateau())).Fit(straight, X, Y);

        Network<double> first = Build();
        var adam = new Adam(0.01);
        ReduceOnPlateau schedule = Plateau();
        using var cancel = new CancellationTokenSource();
        var writer = new CheckpointWriter<double>(path, first, adam, everyEpochs: 4, inner: new CancelAfter(4, cancel), schedule: schedule);
        new Trainer<double>(PlateauOptions(adam, schedule)).Fit(first, X, Y, writer, cancel.Token).Epochs.Should().HaveCount(4);

        TrainingCheckpoint<double> checkpoint = Checkpoint.Load<double>(path);
        var resumedAdam = new Adam(0.01);
        checkpoint.RestoreOptimizer(resumedAdam);
        ReduceOnPlateau resumedSchedule = Plateau();
        if (restoreSchedule)
        {
            checkpoint.RestoreSchedule(resumedSchedule);
        }

        TrainingHistory resumed = new Trainer<double>(PlateauOptions(resumedAdam, resumedSchedule))
            .Fit(checkpoint.Network, X, Y, null, null, initialEpoch: checkpoint.EpochsCompleted);
        return (straight, straightHistory, resumed, checkpoint);
    }

    private static void EditManifest(string path, Action<JsonObject> edit)
    {
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update);
        ZipArchiveEntry entry = zip.GetEntry("manifest.json")!;
        JsonObject manifest;
        using (Stream s = entry.Open())
        {
            manifest = JsonNode.Parse(s)!.AsObject();
        }

        entry.Delete();
        edit(manifest);
        using Stream output = zip.CreateEntry("manifest.json").Open();
        output.Write(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    [Fact]
    public void Resume_WithReduceOnPlateauRestored_EndsBitIdenticalToUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var (straight, straightHistory, resumed, checkpoint) = RunPlateau(dir, restoreSchedule: true);
        Network<double> network = checkpoint.Network;

        // The rate of epoch e is the base rate times the scale after epochs 1..e-1; it must drop before and after the
        // checkpoint, or the test proves nothing. The checkpoint holds the state after epoch 4's update: best = its loss.
        double[] rates = straightHistory.Epochs.Select(e => e.LearningRate).ToArray();
        rates[3].Should().BeLessThan(rates[0], "the rate drops before the checkpoint");
        rates[7].Should().BeLessThan(rates[4], "the rate drops after the checkpoint");
        checkpoint.ScheduleState.Should().Equal(straightHistory.Epochs[3].Loss, 0, 0.5);
        resumed.Epochs.Select(e => e.LearningRate).Should().Equal(rates[4..]);
        ShouldMatchBitForBit(network, straight);
    }

    [Fact]
    public void Resume_WithoutScheduleState_Differs()
    {
        // The control for the test above: a fresh schedule restarts at scale 1, so the resumed weights differ.
        using var dir = new TempDirectory();
        var (straight, straightHistory, resumed, checkpoint) = RunPlateau(dir, restoreSchedule: false);

        resumed.Epochs[0].LearningRate.Should().BeGreaterThan(straightHistory.Epochs[4].LearningRate);
        checkpoint.Network.Parameters[0].Value.ToArray().Should().NotEqual(straight.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void Load_FreshReduceOnPlateau_RoundTripsInfiniteBest()
    {
        // Before its first epoch the best value is +infinity, which JSON numbers cannot hold.
        using var dir = new TempDirectory();
        Checkpoint.Save(dir.File("c.ckpt"), Build(), new Adam(), 0, schedule: Plateau());
        TrainingCheckpoint<double> checkpoint = Checkpoint.Load<double>(dir.File("c.ckpt"));
        ReduceOnPlateau restored = Plateau();
        restored.ImportState([0.5, 0, 0.25]);

        checkpoint.RestoreSchedule(restored);

        checkpoint.ScheduleName.Should().Be("ReduceOnPlateau");
        restored.ExportState().Should().Equal(double.PositiveInfinity, 0, 1);
    }

    [Fact]
    public void Load_WithoutScheduleSection_LoadsAndRestoresNothingIntoStatelessSchedule()
    {
        using var dir = new TempDirectory();
        Checkpoint.Save(dir.File("c.ckpt"), Build(), new Adam(), 2);
        TrainingCheckpoint<double> checkpoint = Checkpoint.Load<double>(dir.File("c.ckpt"));

        checkpoint.ScheduleName.Should().BeNull();
        checkpoint.ScheduleState.Should().BeNull();
        checkpoint.RestoreSchedule(ConstantSchedule.Instance);
        FluentActions.Invoking(() => checkpoint.RestoreSchedule(Plateau())).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void RestoreSchedule_OtherKind_ThrowsArgument()
    {
        using var dir = new TempDirectory();
        Checkpoint.Save(dir.File("c.ckpt"), Build(), new Adam(), 0, schedule: Plateau());

        Action act = () => Checkpoint.Load<double>(dir.File("c.ckpt")).RestoreSchedule(new StepSchedule(3, 0.5));

        act.Should().Throw<ArgumentException>().WithParameterName("schedule");
    }

    [Theory]
    [InlineData("[1.0, 0, \"half\"]", "*schedule state[2] must be a finite number*")]
    [InlineData("[1.0, 0, null]", "*schedule state[2] must be a finite number*found null*")]
    [InlineData("{\"best\": 1}", "*field 'state' must be an array*")]
    public void Load_ScheduleStateMalformed_ThrowsInvalidDataFile(string state, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Checkpoint.Save(path, Build(), new Adam(), 0, schedule: Plateau());
        EditManifest(path, m => m["checkpoint"]!["schedule"]!["state"] = JsonNode.Parse(state));

        Action act = () => Checkpoint.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage(message);
    }

    [Theory]
    [InlineData("[1.0, 0, 1.5]")]          // scale above 1
    [InlineData("[1.0, 0, 0]")]            // scale 0
    [InlineData("[1.0, -1, 0.5]")]         // negative wait
    [InlineData("[1.0, 0.5, 0.5]")]        // fractional wait
    [InlineData("[\"-Infinity\", 0, 0.5]")] // best can never be beaten
    [InlineData("[1.0, 0]")]               // too short
    public void RestoreSchedule_StateOutOfRange_ThrowsInvalidDataFile(string state)
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Checkpoint.Save(path, Build(), new Adam(), 0, schedule: Plateau());
        EditManifest(path, m => m["checkpoint"]!["schedule"]!["state"] = JsonNode.Parse(state));
        TrainingCheckpoint<double> checkpoint = Checkpoint.Load<double>(path);
        ReduceOnPlateau schedule = Plateau();

        Action act = () => checkpoint.RestoreSchedule(schedule);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*ReduceOnPlateau state is invalid*").WithInnerException<ArgumentException>();
        schedule.ExportState().Should().Equal(double.PositiveInfinity, 0, 1);
    }

    // Early stopping on the training loss, minDelta 0.1, patience 4. Training losses of the uninterrupted run, epochs
    // 1-9 (early stopping does not change the steps, only when training stops and which weights it ends with):
    // 1.3289, 1.0468, 0.8938, 0.7232, 0.6120, 0.6541, 0.6300, 0.6075, 0.5443. Epochs 2-5 each improve by more than 0.1
    // (0.7232 - 0.6120 = 0.111), so epoch 5 is best; epochs 6-9 are not below 0.6120 - 0.1 = 0.5120, so the 4th
    // of them (epoch 9) stops the run and the weights of epoch 5 come back. The checkpoint is written after epoch 7
    // (best 5, waited 2): best before it, stop after it.
    private static TrainerOptions EarlyOptions(IOptimizer optimizer) => Options(optimizer) with
    {
        Epochs = 12,
        EarlyStopping = new EarlyStoppingOptions { Monitor = "loss", MinDelta = 0.1, Patience = 4, RestoreBestWeights = true },
    };

    /// <summary>Trains 7 of 12 epochs with a checkpoint after epoch 7 (written through the trainer-aware writer), then
    /// resumes from the file; the early-stopping state is passed on only when <paramref name="restoreEarlyStopping"/>.</summary>
    private static (Network<double> Straight, TrainingHistory StraightHistory, TrainingHistory Resumed, TrainingCheckpoint<double> Checkpoint) RunEarlyStopping(TempDirectory dir, bool restoreEarlyStopping)
    {
        string path = dir.File("early.ckpt");
        Network<double> straight = Build();
        TrainingHistory straightHistory = new Trainer<double>(EarlyOptions(new Adam(0.01))).Fit(straight, X, Y);

        Network<double> first = Build();
        var trainer = new Trainer<double>(EarlyOptions(new Adam(0.01)));
        using var cancel = new CancellationTokenSource();
        var writer = new CheckpointWriter<double>(path, first, trainer, everyEpochs: 7, inner: new CancelAfter(7, cancel));
        trainer.Fit(first, X, Y, writer, cancel.Token).Epochs.Should().HaveCount(7);

        TrainingCheckpoint<double> checkpoint = Checkpoint.Load<double>(path);
        var resumedAdam = new Adam(0.01);
        checkpoint.RestoreOptimizer(resumedAdam);
        TrainingHistory resumed = new Trainer<double>(EarlyOptions(resumedAdam)).Fit(
            checkpoint.Network, X, Y, null, null, initialEpoch: checkpoint.EpochsCompleted, earlyStopping: restoreEarlyStopping ? checkpoint.EarlyStopping : null);
        return (straight, straightHistory, resumed, checkpoint);
    }

    private static void ShouldMatchBitForBit(Network<double> actualNetwork, Network<double> expectedNetwork)
    {
        for (int l = 0; l < expectedNetwork.Layers.Count; l++)
        {
            var expected = expectedNetwork.Layers[l].Parameters.Concat(expectedNetwork.Layers[l].Buffers).ToArray();
            var actual = actualNetwork.Layers[l].Parameters.Concat(actualNetwork.Layers[l].Buffers).ToArray();
            for (int p = 0; p < expected.Length; p++)
            {
                actual[p].Value.ToArray().Should().Equal(expected[p].Value.ToArray(), $"layer {l} tensor {expected[p].Name} must match bit for bit");
            }
        }
    }

    [Fact]
    public void Resume_WithEarlyStoppingRestored_EndsBitIdenticalToUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var (straight, straightHistory, resumed, checkpoint) = RunEarlyStopping(dir, restoreEarlyStopping: true);

        // The premise: best epoch before the checkpoint, stop after it.
        straightHistory.StopReason.Should().Be(StopReason.EarlyStopped);
        straightHistory.BestEpoch.Should().Be(5);
        straightHistory.Epochs.Should().HaveCount(9);
        EarlyStoppingState saved = checkpoint.EarlyStopping!;
        saved.BestEpoch.Should().Be(5);
        saved.Wait.Should().Be(2);
        saved.BestValue.Should().Be(straightHistory.Epochs[4].Loss);
        saved.BestWeights.Should().HaveCount(checkpoint.Network.SnapshotLength);

        resumed.StopReason.Should().Be(StopReason.EarlyStopped);
        resumed.BestEpoch.Should().Be(5);
        resumed.BestValue.Should().Be(straightHistory.BestValue);
        resumed.Epochs.Select(e => e.Epoch).Should().Equal(8, 9);
        ShouldMatchBitForBit(checkpoint.Network, straight);
    }

    [Fact]
    public void Resume_WithoutEarlyStoppingState_Differs()
    {
        // The control for the test above: counting afresh from epoch 8 makes epoch 8 the first best, then epoch 10
        // improves on it (0.4997 < 0.6075 - 0.1), so the run goes to epoch 12 and ends with epoch 10's weights.
        using var dir = new TempDirectory();
        var (straight, straightHistory, resumed, checkpoint) = RunEarlyStopping(dir, restoreEarlyStopping: false);

        resumed.StopReason.Should().Be(StopReason.Completed);
        resumed.BestEpoch.Should().Be(10);
        resumed.Epochs.Should().HaveCount(5);
        checkpoint.Network.Parameters[0].Value.ToArray().Should().NotEqual(straight.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void TrainerEarlyStoppingState_AfterFit_MatchesHistoryAndIsNullWithoutEarlyStopping()
    {
        Network<double> network = Build();
        var trainer = new Trainer<double>(EarlyOptions(new Adam(0.01)));
        trainer.EarlyStoppingState.Should().BeNull();
        TrainingHistory history = trainer.Fit(network, X, Y);

        EarlyStoppingState state = trainer.EarlyStoppingState!;
        state.BestEpoch.Should().Be(history.BestEpoch);
        state.BestValue.Should().Be(history.BestValue!.Value);
        state.Wait.Should().Be(history.Epochs.Count - state.BestEpoch);
        // RestoreBestWeights put the best epoch's values back, so the network's snapshot is the saved one.
        var snapshot = new double[network.SnapshotLength];
        network.CopySnapshotTo(snapshot);
        state.BestWeights.Should().Equal(snapshot);

        var plain = new Trainer<double>(Options(new Adam(0.01)));
        plain.Fit(Build(), X, Y);
        plain.EarlyStoppingState.Should().BeNull();
    }

    [Fact]
    public void Fit_EarlyStoppingStateWithoutEarlyStopping_ThrowsArgument()
    {
        var state = new EarlyStoppingState(1, 0.5, 0);

        Action act = () => new Trainer<double>(Options(new Adam(0.01))).Fit(Build(), X, Y, null, null, initialEpoch: 2, earlyStopping: state);

        act.Should().Throw<ArgumentException>().WithParameterName("earlyStopping");
    }

    [Theory]
    [InlineData(0, 3, "*initialEpoch*not 0*")]   // a state resumes, it does not start afresh
    [InlineData(2, 3, "*best epoch 3, 0 epochs waited*runs past initialEpoch = 2*")]
    public void Fit_EarlyStoppingStateInconsistent_ThrowsArgument(int initialEpoch, int bestEpoch, string message)
    {
        Network<double> network = Build();
        var state = new EarlyStoppingState(bestEpoch, 0.5, 0, new double[network.SnapshotLength]);

        Action act = () => new Trainer<double>(EarlyOptions(new Adam(0.01))).Fit(network, X, Y, null, null, initialEpoch: initialEpoch, earlyStopping: state);

        act.Should().Throw<ArgumentException>().WithParameterName("earlyStopping").WithMessage(message);
    }

    [Fact]
    public void Fit_EarlyStoppingStateWithoutBestWeights_ThrowsArgument()
    {
        Action act = () => new Trainer<double>(EarlyOptions(new Adam(0.01))).Fit(Build(), X, Y, null, null, initialEpoch: 2, earlyStopping: new EarlyStoppingState(1, 0.5, 1));

        act.Should().Throw<ArgumentException>().WithParameterName("earlyStopping").WithMessage("*holds no best weights*");
    }

    [Fact]
    public void Save_EarlyStoppingPastEpochsCompleted_ThrowsArgument()
    {
        using var dir = new TempDirectory();

        // best epoch 2 + 2 epochs waited = epoch 4, but only 3 epochs are completed.
        Action act = () => Checkpoint.Save(dir.File("c.ckpt"), Build(), new Adam(), 3, earlyStopping: new EarlyStoppingState(2, 0.5, 2));

        act.Should().Throw<ArgumentException>().WithParameterName("earlyStopping");
    }

    [Fact]
    public void Load_EarlyStoppingWithNaNBestAndNoWeights_RoundTrips()
    {
        using var dir = new TempDirectory();
        Checkpoint.Save(dir.File("c.ckpt"), Build(), new Adam(), 4, earlyStopping: new EarlyStoppingState(3, double.NaN, 1));

        EarlyStoppingState state = Checkpoint.Load<double>(dir.File("c.ckpt")).EarlyStopping!;

        state.BestEpoch.Should().Be(3);
        state.BestValue.Should().Be(double.NaN);
        state.Wait.Should().Be(1);
        state.BestWeights.Should().BeNull();
    }

    [Fact]
    public void Load_WithoutEarlyStoppingSection_LoadsWithNullState()
    {
        using var dir = new TempDirectory();
        Checkpoint.Save(dir.File("c.ckpt"), Build(), new Adam(), 2);

        Checkpoint.Load<double>(dir.File("c.ckpt")).EarlyStopping.Should().BeNull();
    }

    [Theory]
    [InlineData("bestEpoch", "0", "*field 'bestEpoch' is 0, outside [1, 4]*")]
    [InlineData("bestEpoch", "5", "*field 'bestEpoch' is 5, outside [1, 4]*")]
    [InlineData("bestEpoch", "\"3\"", "*field 'bestEpoch' must be an integer*")]
    [InlineData("wait", "2", "*field 'wait' is 2, outside [0, 1]*")]          // epoch 3 + 2 waited > 4 completed
    [InlineData("wait", "-1", "*field 'wait' is -1, outside [0, 1]*")]
    [InlineData("bestValue", "\"half\"", "*field 'bestValue' must be a number*")]
    [InlineData("bestValue", "null", "*field 'bestValue' must be a number*found null*")]
    [InlineData("bestWeights", "1", "*field 'bestWeights' must be true or false*")]
    public void Load_EarlyStoppingFieldMalformed_ThrowsInvalidDataFile(string field, string value, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Network<double> network = Build();
        Checkpoint.Save(path, network, new Adam(), 4, earlyStopping: new EarlyStoppingState(3, 0.5, 1, new double[network.SnapshotLength]));
        EditManifest(path, m => m["checkpoint"]!["earlyStopping"]![field] = JsonNode.Parse(value));

        Action act = () => Checkpoint.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage(message);
    }

    [Fact]
    public void Load_EarlyStoppingBestWeightsMissing_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Checkpoint.Save(path, Build(), new Adam(), 4, earlyStopping: new EarlyStoppingState(3, 0.5, 1));
        EditManifest(path, m => m["checkpoint"]!["earlyStopping"]!["bestWeights"] = true);

        Action act = () => Checkpoint.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*best weights*entry 'earlyStopping/bestWeights.bin' is missing*");
    }

    [Fact]
    public void Load_EarlyStoppingBestWeightsWrongLength_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Network<double> network = Build();
        Checkpoint.Save(path, network, new Adam(), 4, earlyStopping: new EarlyStoppingState(3, 0.5, 1, new double[network.SnapshotLength]));
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("earlyStopping/bestWeights.bin")!.Delete();
            using Stream s = zip.CreateEntry("earlyStopping/bestWeights.bin").Open();
            s.Write(new byte[16]);
        }

        Action act = () => Checkpoint.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*best weights*declares 16 bytes*");
    }

    [Fact]
    public void Load_EarlyStoppingSectionWithZeroEpochs_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Checkpoint.Save(path, Build(), new Adam(), 4, earlyStopping: new EarlyStoppingState(3, 0.5, 1));
        EditManifest(path, m => m["checkpoint"]!["epochsCompleted"] = 0);

        Action act = () => Checkpoint.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*earlyStopping section but 0 epochs completed*");
    }
}
