using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Serialization;

/// <summary>What model files and checkpoints prove about themselves: every byte that matters is covered by a CRC-32 or
/// a SHA-256 digest, sizes are checked before reading, and unusable values are refused.</summary>
public class ModelFileIntegrityTests
{
    private static byte[] Saved(Network<float>? network = null, ModelSaveOptions? options = null)
    {
        using var dir = new TempDirectory();
        ModelFile.Save(dir.File("m.nnm"), network ?? ModelFileTests.Sample<float>(), options);
        return File.ReadAllBytes(dir.File("m.nnm"));
    }

    private static Action Loading(byte[] file, Func<string, object>? load = null) => () =>
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("m.nnm"), file);
        (load ?? (p => ModelFile.Load<float>(p)))(dir.File("m.nnm"));
    };

    [Fact]
    public void Load_OneBitFlippedInATensor_ThrowsCorruptNamingTheEntry()
    {
        byte[] file = Saved();
        file[ModelBytes.DataOffset(file, "layers/2/W.bin") + 5] ^= 0x10;

        Loading(file).Should().Throw<InvalidDataFileException>().WithMessage("m.nnm: layer 2 (dense): entry 'layers/2/W.bin' is corrupt: its data has CRC-32 *, the zip header records *");
    }

    [Fact]
    public void Load_TensorRewrittenWithAValidCrc_ThrowsDigestMismatch()
    {
        var entries = ModelBytes.Entries(Saved());
        int w = entries.FindIndex(e => e.Name == "layers/0/W.bin");
        byte[] changed = (byte[])entries[w].Bytes.Clone();
        BitConverter.GetBytes(0.25f).CopyTo(changed, 8);
        entries[w] = (entries[w].Name, changed);

        Loading(ModelBytes.Zip(entries)).Should().Throw<InvalidDataFileException>().WithMessage("*entry 'layers/0/W.bin' has changed: its SHA-256 is *, the manifest records *");
    }

    [Fact]
    public void Load_FileWithoutDigests_StillLoadsIdentically()
    {
        byte[] file = Saved();
        byte[] withoutDigests = ModelBytes.WithManifest(file, m =>
        {
            foreach (JsonNode? layer in m["layers"]!.AsArray())
            {
                foreach (JsonNode? tensor in layer!["tensors"]!.AsArray())
                {
                    tensor!.AsObject().Remove("sha256");
                }
            }
        });
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("a.nnm"), file);
        File.WriteAllBytes(dir.File("b.nnm"), withoutDigests);

        ModelBytes.Of(ModelFile.Load<float>(dir.File("b.nnm"))).Should().Equal(ModelBytes.Of(ModelFile.Load<float>(dir.File("a.nnm"))));
    }

    [Fact]
    public void Load_DigestNotHex_ThrowsSayingSo()
    {
        byte[] file = ModelBytes.WithManifest(Saved(), m => m["layers"]![0]!["tensors"]![1]!["sha256"] = "xyz");

        Loading(file).Should().Throw<InvalidDataFileException>().WithMessage("*SHA-256 digest of entry 'layers/0/b.bin' is 'xyz', not 64 hex digits*");
    }

    [Fact]
    public void Load_DuplicateEntryName_Throws()
    {
        var entries = ModelBytes.Entries(Saved());
        entries.Add(entries.First(e => e.Name == "layers/0/b.bin"));

        Loading(ModelBytes.Zip(entries)).Should().Throw<InvalidDataFileException>().WithMessage("m.nnm: entry 'layers/0/b.bin' appears twice in the archive.");
    }

    [Fact]
    public void Load_EntryFlaggedEncrypted_Throws()
    {
        byte[] file = Saved();
        int record = ModelBytes.CentralRecord(file, "layers/0/b.bin");
        file[record + 8] |= 1;

        Loading(file).Should().Throw<InvalidDataFileException>().WithMessage("m.nnm: entry 'layers/0/b.bin' is encrypted*");
    }

    [Fact]
    public void Load_CompressedSizesLargerThanTheFile_Throws()
    {
        byte[] file = Saved();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(ModelBytes.CentralRecord(file, "layers/0/W.bin") + 20), 0x7FFF_0000);

        Loading(file).Should().Throw<InvalidDataFileException>().WithMessage("m.nnm:*");
    }

    [Fact]
    public void Load_TwoTensorsPointingAtOneEntry_ThrowsReferencedTwice()
    {
        // Batch norm's gamma and beta have the same shape, so only the sharing itself is wrong.
        Network<float> network = new NetworkBuilder<float>(3).WithSeed(2).AddDense(4, Activation.Tanh).AddBatchNorm().AddDense(2, Activation.Softmax).Build();
        byte[] file = ModelBytes.WithManifest(Saved(network), m =>
        {
            JsonNode beta = m["layers"]![1]!["tensors"]![1]!;
            beta["entry"] = "layers/1/gamma.bin";
            beta.AsObject().Remove("sha256");
        });

        Loading(file).Should().Throw<InvalidDataFileException>().WithMessage("*entry 'layers/1/gamma.bin' is referenced twice*");
    }

    private static ModelSaveOptions WithScaler()
    {
        var scaler = new StandardScaler();
        scaler.Fit(Matrix<float>.Build.Dense(6, 5, (i, j) => i * (j + 1)));
        return new ModelSaveOptions { Scaler = scaler };
    }

    [Theory]
    [InlineData(1e-310, "1E-310")]
    [InlineData(-2.0, "-2")]
    [InlineData(double.Epsilon, "5E-324")]
    public void Load_ScalerDivisorNotPositiveNormal_Throws(double divisor, string shown)
    {
        byte[] file = ModelBytes.WithManifest(Saved(options: WithScaler()), m => m["scaler"]!["divisor"]![1] = divisor);

        Loading(file).Should().Throw<InvalidDataFileException>().WithMessage($"*divisor[1] is {shown}; divisors must be positive normal numbers.");
    }

    private static byte[] WithBatchNormEpsilon<T>(double epsilon) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var dir = new TempDirectory();
        ModelFile.Save(dir.File("bn.nnm"), new NetworkBuilder<T>(3).WithSeed(2).AddDense(4, Activation.Tanh).AddBatchNorm().AddDense(2, Activation.Softmax).Build());
        return ModelBytes.WithManifest(File.ReadAllBytes(dir.File("bn.nnm")), m => m["layers"]![1]!["config"]!["epsilon"] = epsilon);
    }

    [Fact]
    public void Load_BatchNormEpsilonSubnormal_Throws()
    {
        Loading(WithBatchNormEpsilon<double>(1e-320), p => ModelFile.Load<double>(p))
            .Should().Throw<InvalidDataFileException>().WithMessage("*layer 1*'epsilon' is 1E-320, a subnormal number*");
    }

    [Fact]
    public void Load_BatchNormEpsilonNormalInDoubleButSubnormalInFloat_ThrowsForFloatOnly()
    {
        // 1e-40 is below float's smallest normal (1.18e-38) but a normal double.
        Loading(WithBatchNormEpsilon<float>(1e-40)).Should().Throw<InvalidDataFileException>().WithMessage("*'epsilon' is 1E-40, which is not a positive normal number in Single*");
        Loading(WithBatchNormEpsilon<double>(1e-40), p => ModelFile.Load<double>(p)).Should().NotThrow();
    }

    [Fact]
    public void SaveAndLoad_PathIsADirectory_ThrowArgumentSayingSo()
    {
        using var dir = new TempDirectory();
        Network<float> network = ModelFileTests.Sample<float>();

        new Action(() => ModelFile.Save(dir.Path, network)).Should().Throw<ArgumentException>().WithParameterName("path").WithMessage("*is a directory, not a file*");
        new Action(() => ModelFile.Load<float>(dir.Path)).Should().Throw<ArgumentException>().WithParameterName("path");
        new Action(() => Checkpoint.Save(dir.Path, network, new Adam(), 1)).Should().Throw<ArgumentException>().WithParameterName("path");
        new Action(() => Checkpoint.Load<float>(dir.Path)).Should().Throw<ArgumentException>().WithParameterName("path");
        new Action(() => _ = new CheckpointWriter<float>(dir.Path, network, new Adam())).Should().Throw<ArgumentException>().WithParameterName("path");
    }

    [Fact]
    public void Save_StaleTemporaryFilesOfKilledSaves_AreRemoved()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.nnm");
        string stale = dir.File($".m.nnm.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, new byte[1000]);

        ModelFile.Save(path, ModelFileTests.Sample<float>());

        Directory.GetFiles(dir.Path).Should().Equal(path);
    }

    private static (string Path, TempDirectory Dir) CheckpointWith(Network<float> network, IOptimizer optimizer)
    {
        var dir = new TempDirectory();
        string path = dir.File("c.ckpt");
        Checkpoint.Save(path, network, optimizer, 1);
        return (path, dir);
    }

    private static Adam TrainedAdam(Network<float> network)
    {
        var adam = new Adam(0.01);
        var x = Matrix<float>.Build.Dense(8, network.InputSize, (i, j) => (i + j) % 3);
        var y = Matrix<float>.Build.Dense(8, network.OutputSize, (i, j) => i % network.OutputSize == j ? 1 : 0);
        new NeuralNet.Training.Trainer<float>(new NeuralNet.Training.TrainerOptions { Epochs = 1, BatchSize = 4, Optimizer = adam, Loss = NeuralNet.Losses.Loss.CategoricalCrossEntropy }).Fit(network, x, y);
        return adam;
    }

    [Fact]
    public void CheckpointLoad_OptimizerStateOfAnotherNetwork_ThrowsAtLoadNotInFit()
    {
        Network<float> network = ModelFileTests.Sample<float>();
        Network<float> other = new NetworkBuilder<float>(5).WithSeed(1).AddDense(9, Activation.Tanh).AddDense(3, Activation.Softmax).Build();
        var (path, dir) = CheckpointWith(network, TrainedAdam(other));
        using (dir)
        {
            Action act = () => Checkpoint.Load<float>(path);

            act.Should().Throw<InvalidDataFileException>().WithMessage("c.ckpt: checkpoint optimizer 'adam': 8 state tensors, but adam keeps 2 per parameter and the network has 8 parameters (16 tensors).");
        }
    }

    [Fact]
    public void CheckpointLoad_OptimizerTensorOfTheWrongLength_ThrowsNamingTheParameter()
    {
        Network<float> network = ModelFileTests.Sample<float>();
        var (path, dir) = CheckpointWith(network, TrainedAdam(ModelFileTests.Sample<float>()));
        using (dir)
        {
            // Swap the lengths of tensors 0 (W of layer 0, 30 values) and 1 (its bias, 6 values).
            byte[] edited = ModelBytes.WithManifest(File.ReadAllBytes(path), m =>
            {
                JsonArray lengths = m["checkpoint"]!["optimizer"]!["tensorLengths"]!.AsArray();
                JsonNode first = lengths[0]!.DeepClone();
                lengths[0] = lengths[1]!.DeepClone();
                lengths[1] = first;
            });
            File.WriteAllBytes(path, edited);

            Action act = () => Checkpoint.Load<float>(path);

            act.Should().Throw<InvalidDataFileException>().WithMessage("*state tensor 0 has 6 values, but it belongs to parameter 0 (W), which has 30.");
        }
    }

    [Fact]
    public void Load_StoredEntryDeclaringMoreBytesThanItHolds_ThrowsInsteadOfReadingTheNextHeader()
    {
        // An extra stored entry in the middle of the archive whose central directory claims 4 bytes more than it holds:
        // reading it runs into the next local header. Nothing references it, so only the full check of every entry sees it.
        var entries = ModelBytes.Entries(Saved());
        entries.Insert(1, ("extra.bin", new byte[64]));
        byte[] file = ModelBytes.Zip(entries);
        int record = ModelBytes.CentralRecord(file, "extra.bin");
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(record + 20), 68);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(record + 24), 68);

        Loading(file).Should().Throw<InvalidDataFileException>().WithMessage("m.nnm: entry 'extra.bin' is corrupt: its data has CRC-32 *");
    }

    [Fact]
    public void ModelFileLoad_OfACheckpoint_ChecksTheOptimizerEntriesItDoesNotUse()
    {
        Network<float> network = ModelFileTests.Sample<float>();
        var (path, dir) = CheckpointWith(network, TrainedAdam(ModelFileTests.Sample<float>()));
        using (dir)
        {
            byte[] file = File.ReadAllBytes(path);
            ModelBytes.Of(ModelFile.Load<float>(path)).Should().Equal(ModelBytes.Of(Checkpoint.Load<float>(path).Model), "a checkpoint is a model file");
            file[ModelBytes.DataOffset(file, "optimizer/3.bin") + 2] ^= 1;
            File.WriteAllBytes(path, file);

            Action act = () => ModelFile.Load<float>(path);

            act.Should().Throw<InvalidDataFileException>().WithMessage("c.ckpt: entry 'optimizer/3.bin' is corrupt*");
        }
    }
}
