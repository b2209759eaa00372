using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Serialization;
using NeuralNet.Training;
using NeuralNet.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Serialization;

/// <summary>Seeded fuzzing of model files and checkpoints: truncations, bit flips, inserted and removed bytes, and edits
/// of zip header fields (sizes, offsets, CRCs, flags, names copied over one another). Every mutated file must load
/// bit-identically to the original or raise <see cref="InvalidDataFileException"/>.</summary>
public class ModelFileFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Fact]
    public void ModelFile_SeededMutations_LoadIdenticallyOrThrowInvalidDataFile()
    {
        using var dir = new TempDirectory();
        var scaler = new MinMaxScaler();
        scaler.Fit(Matrix<float>.Build.Dense(4, 5, (i, j) => i + j));
        Network<float> network = new NetworkBuilder<float>(5).WithSeed(4).AddDense(6, Activation.ReLU).AddBatchNorm().AddDropout(0.2).AddDense(3, Activation.Softmax).Build();
        ModelFile.Save(dir.File("m.nnm"), network, new ModelSaveOptions
        {
            Scaler = scaler,
            Labels = new LabelMap(["a", "b", "c"]),
            Metadata = new Dictionary<string, string> { ["dataset"] = "fuzz" },
        });
        byte[] original = ModelBytes.Pinned(File.ReadAllBytes(dir.File("m.nnm")));

        Fuzz.Summary summary = Fuzz.Run("m.nnm", original, Fuzz.Mutations(original.Length, Fuzz.ZipHeaders(original)),
            path => ModelBytes.Of(ModelFile.Load<float>(path)), cases: 1000, seed: 0x40DE1, Bound);

        output.WriteLine(summary.ToString());
        summary.Rejected.Should().BeGreaterThan(summary.Cases / 2);
    }

    [Fact]
    public void Checkpoint_SeededMutations_LoadIdenticallyOrThrowInvalidDataFile()
    {
        using var dir = new TempDirectory();
        Network<double> network = new NetworkBuilder<double>(3).WithSeed(5).AddDense(5, Activation.Tanh).AddDropout(0.1).AddDense(2, Activation.Softmax).Build();
        var x = Matrix<double>.Build.Dense(12, 3, (i, j) => Math.Sin(i + 2 * j));
        var y = Matrix<double>.Build.Dense(12, 1, (i, _) => i % 2);
        var schedule = new ReduceOnPlateau(patience: 2);
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 3, BatchSize = 4, Seed = 1, Optimizer = new Adam(0.01), Schedule = schedule, Loss = Loss.SparseCategoricalCrossEntropy,
            EarlyStopping = new EarlyStoppingOptions { Monitor = "loss", Patience = 5, RestoreBestWeights = true },
        });
        string path = dir.File("c.ckpt");
        trainer.Fit(network, x, y, new CheckpointWriter<double>(path, network, trainer, everyEpochs: 3));
        byte[] original = ModelBytes.Pinned(File.ReadAllBytes(path));

        Fuzz.Summary summary = Fuzz.Run("c.ckpt", original, Fuzz.Mutations(original.Length, Fuzz.ZipHeaders(original)),
            p => ModelBytes.Of(Checkpoint.Load<double>(p)), cases: 800, seed: 0xC4EC, Bound);

        output.WriteLine(summary.ToString());
        summary.Rejected.Should().BeGreaterThan(summary.Cases / 2);
    }
}
