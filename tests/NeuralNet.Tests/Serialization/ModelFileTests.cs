using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Serialization;

public class ModelFileTests
{
    internal static Network<T> Sample<T>(long seed = 7) where T : unmanaged, IFloatingPointIeee754<T> =>
        new NetworkBuilder<T>(5).WithSeed(seed)
            .AddDense(6, Activation.LeakyReLU(0.2))
            .AddDense(4, Activation.Elu(0.7), Initializer.GlorotNormal)
            .AddDense(3, Activation.Tanh)
            .AddDense(3, Activation.Softmax)
            .Build();

    private static void RoundTripPredictsBitIdentically<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var dir = new TempDirectory();
        Network<T> net = Sample<T>();
        Matrix<T> x = Matrix<T>.Build.Dense(17, 5, (i, j) => T.CreateChecked(Math.Sin(i * 5 + j) * 3));
        string path = dir.File("model.nnm");

        ModelFile.Save(path, net);
        SavedModel<T> loaded = ModelFile.Load<T>(path);

        loaded.Network.Predict(x).ToColumnMajorArray().Should().Equal(net.Predict(x).ToColumnMajorArray());
        loaded.Network.Layers.Select(l => l.Describe()).Should().Equal(net.Layers.Select(l => l.Describe()));
        var dense = (DenseLayer<T>)loaded.Network.Layers[1];
        dense.WeightInitializer.Name.Should().Be("glorot_normal");
        for (int p = 0; p < net.Parameters.Count; p++)
        {
            loaded.Network.Parameters[p].Value.ToArray().Should().Equal(net.Parameters[p].Value.ToArray());
        }
    }

    [Fact]
    public void Load_SavedFloatNetwork_PredictsBitIdentically() => RoundTripPredictsBitIdentically<float>();

    [Fact]
    public void Load_SavedDoubleNetwork_PredictsBitIdentically() => RoundTripPredictsBitIdentically<double>();

    [Fact]
    public void Load_SavedExtras_ReturnsScalerLabelsMetadataAndSummary()
    {
        using var dir = new TempDirectory();
        Network<double> net = Sample<double>();
        Matrix<double> training = Matrix<double>.Build.Dense(10, 5, (i, j) => i * 0.3 + j * j);
        var scaler = new StandardScaler();
        scaler.Fit(training);
        var options = new ModelSaveOptions
        {
            Scaler = scaler,
            Labels = new LabelMap(["cat", "dog", "bird"]),
            Metadata = new Dictionary<string, string> { ["dataset"] = "pets" },
            TrainingSummary = new Dictionary<string, double> { ["epochs"] = 12, ["test_accuracy"] = 0.1 + 0.2 },
        };
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);

        ModelFile.Save(dir.File("m.nnm"), net, options);
        SavedModel<double> loaded = ModelFile.Load<double>(dir.File("m.nnm"));

        loaded.Scaler.Should().BeOfType<StandardScaler>();
        loaded.Scaler!.Shift.Should().Equal(scaler.Shift);
        loaded.Scaler.Divisor.Should().Equal(scaler.Divisor);
        loaded.Scaler.Transform(training).ToColumnMajorArray().Should().Equal(scaler.Transform(training).ToColumnMajorArray());
        loaded.Labels!.ClassNames.Should().Equal("cat", "dog", "bird");
        loaded.Metadata.Should().ContainKey("dataset").WhoseValue.Should().Be("pets");
        loaded.TrainingSummary["test_accuracy"].Should().Be(0.1 + 0.2); // exactly 0.30000000000000004
        loaded.FormatVersion.Should().Be(ModelFile.CurrentFormatVersion);
        loaded.LibraryVersion.Should().NotBeNullOrEmpty();
        loaded.CreatedUtc.Should().BeAfter(before);
    }

    [Fact]
    public void Save_ExistingFile_ReplacesItAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.nnm");
        ModelFile.Save(path, Sample<float>(1));

        ModelFile.Save(path, Sample<float>(2));

        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Should().Equal("m.nnm");
        ModelFile.Load<float>(path).Network.Parameters[0].Value.ToArray().Should().Equal(Sample<float>(2).Parameters[0].Value.ToArray());
    }

    [Fact]
    public void Save_FailureMidWrite_LeavesPreviousFileIntact()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.nnm");
        ModelFile.Save(path, Sample<float>(1));
        byte[] before = File.ReadAllBytes(path);

        // A crash while writing (here: an exception from inside the archive writer) must not touch the target.
        Action act = () => ZipEntries.WriteArchive(path, zip =>
        {
            zip.CreateEntry("partial").Open().Dispose();
            throw new IOException("disk full");
        });

        act.Should().Throw<IOException>();
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(dir.Path).Should().HaveCount(1);
    }

    [Fact]
    public void Save_UnknownLayerType_ThrowsArgument()
    {
        using var dir = new TempDirectory();
        var net = new Network<float>(2, [new CustomLayer()]);

        Action act = () => ModelFile.Save(dir.File("m.nnm"), net);

        act.Should().Throw<ArgumentException>().WithParameterName("network").WithMessage("*kind 'custom'*dense*");
    }

    [Fact]
    public void Save_ScalerOfOtherWidth_ThrowsArgument()
    {
        using var dir = new TempDirectory();
        var scaler = new MinMaxScaler();
        scaler.Fit(Matrix<float>.Build.Dense(3, 2, 1f));

        Action act = () => ModelFile.Save(dir.File("m.nnm"), Sample<float>(), new ModelSaveOptions { Scaler = scaler });

        act.Should().Throw<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public void Save_NonFiniteWeight_ThrowsArgument()
    {
        using var dir = new TempDirectory();
        Network<float> net = Sample<float>();
        net.Parameters[0].Value[3] = float.NaN;

        Action act = () => ModelFile.Save(dir.File("m.nnm"), net);

        act.Should().Throw<ArgumentException>().WithParameterName("network").WithMessage("*W[3] is NaN*");
    }

    [Fact]
    public void Load_NullPath_ThrowsArgumentNull()
    {
        Action act = () => ModelFile.Load<float>(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("path");
    }

    private sealed class CustomLayer : Layer<float>
    {
        public override int InputSize => 2;

        public override int OutputSize => 2;

        public override string Kind => "custom";

        public override void Infer(ReadOnlySpan<float> input, Span<float> output, int batchSize) => input.CopyTo(output);

        protected override void ForwardCore(ReadOnlySpan<float> input, Span<float> output, int batchSize, bool training) => input.CopyTo(output);

        protected override void BackwardCore(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize) =>
            outputGradient.CopyTo(inputGradient);
    }
}
