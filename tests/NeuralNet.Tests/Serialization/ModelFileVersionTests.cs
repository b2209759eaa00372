using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Serialization;

/// <summary>Format versions: version 1 files (saved before shapes existed) load; version 2 stores shapes; later
/// versions are refused. Layer codecs registered from outside the library save and load like the built-in ones.</summary>
public class ModelFileVersionTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", name);

    [Fact]
    public void Load_Version1File_SavedByTheEarlierLibrary_PredictsWhatItPredictedThen()
    {
        // model-v1.nnm: 4 -> dense(5, tanh) -> batchnorm -> dropout -> dense(3, softmax), a standard scaler and class
        // names, saved by the library before format version 2; the CSV holds its predictions then, printed with "R".
        SavedModel<double> model = ModelFile.Load<double>(Fixture("model-v1.nnm"));
        model.FormatVersion.Should().Be(1);
        model.Network.InputShape.Should().Be(FeatureShape.Flat(4));
        model.Labels!.ClassNames.Should().Equal("a", "b", "c");
        model.Metadata["saved"].Should().Be("format version 1");

        var x = Matrix<double>.Build.Dense(6, 4, (i, j) => i * 0.5 - j * 0.25 + 0.1 * i * j);
        Matrix<double> p = model.Network.Predict(model.Scaler!.Transform(x));
        string[] lines = File.ReadAllLines(Fixture("model-v1.predictions.csv"));
        for (int i = 0; i < lines.Length; i++)
        {
            double[] expected = lines[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Enumerable.Range(0, 3).Select(j => p[i, j]).Should().Equal(expected);
        }
    }

    [Fact]
    public void Save_WritesVersion2_WithShapes_AndAnExternallyRegisteredLayerRoundTrips()
    {
        LayerCodecs.Register(ChannelScaleCodec.Instance);
        LayerCodecs.Register(ChannelScaleCodec.Instance); // the same instance again is a no-op
        LayerCodecs.KnownKinds.Should().Contain("test.channel_scale");

        Network<float> net = new NetworkBuilder<float>(new FeatureShape(2, 3, 3)).WithSeed(5)
            .Add(shape => new ChannelScaleLayer<float>(shape)).AddDropout(0.2).AddDense(4, Activation.Softmax).Build();
        net.Layers[0].Parameters[0].Value[1] = 0.25f;
        using var dir = new TempDirectory();
        string path = dir.File("image.nnm");
        ModelFile.Save(path, net);

        JsonObject manifest = Manifest(path);
        manifest["formatVersion"]!.GetValue<int>().Should().Be(2);
        manifest["inputShape"]!.ToJsonString().Should().Be("""{"channels":2,"height":3,"width":3}""");
        manifest["layers"]![1]!["outputShape"]!.ToJsonString().Should().Be("""{"channels":2,"height":3,"width":3}""");

        SavedModel<float> loaded = ModelFile.Load<float>(path);
        loaded.FormatVersion.Should().Be(2);
        loaded.Network.InputShape.Should().Be(new FeatureShape(2, 3, 3));
        loaded.Network.Layers.Select(l => l.OutputShape).Should().Equal(net.Layers.Select(l => l.OutputShape));
        loaded.Network.Layers[0].Should().BeOfType<ChannelScaleLayer<float>>();
        var x = Matrix<float>.Build.Dense(3, 18, (i, j) => (i - j) * 0.1f);
        loaded.Network.Predict(x).ToColumnMajorArray().Should().Equal(net.Predict(x).ToColumnMajorArray());
    }

    [Fact]
    public void Register_AnotherCodecForATakenKind_IsRefused()
    {
        Action act = () => LayerCodecs.Register(new ImpostorCodec());
        act.Should().Throw<ArgumentException>().WithParameterName("codec").WithMessage("*'dense' is already registered*");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1000)]
    public void Load_FutureVersion_IsRejectedClearly(int version)
    {
        using var dir = new TempDirectory();
        string path = dir.File("future.nnm");
        ModelFile.Save(path, ModelFileTests.Sample<double>());
        RewriteManifest(path, m => m["formatVersion"] = version);
        Action act = () => ModelFile.Load<double>(path);
        act.Should().Throw<InvalidDataFileException>().WithMessage($"*unknown format version {version}*reads versions 1 to 2*");
    }

    [Fact]
    public void Load_Version2WithShapesThatDisagree_IsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad-shape.nnm");
        ModelFile.Save(path, ModelFileTests.Sample<double>());
        RewriteManifest(path, m => m["inputShape"] = new JsonObject { ["channels"] = 1, ["height"] = 2, ["width"] = 3 });
        Action act = () => ModelFile.Load<double>(path);
        act.Should().Throw<InvalidDataFileException>().WithMessage("*mismatched shapes: inputShape 1x2x3 has 6 features but inputSize is 5*");

        ModelFile.Save(path, ModelFileTests.Sample<double>());
        RewriteManifest(path, m => m["layers"]![0]!["outputShape"] = new JsonObject { ["channels"] = 2, ["height"] = 1, ["width"] = 3 });
        act.Should().Throw<InvalidDataFileException>().WithMessage("*layer 0 (dense): mismatched shapes: the manifest says output 2x1x3, but the configuration on input 1x1x5 gives 1x1x6*");

        ModelFile.Save(path, ModelFileTests.Sample<double>());
        RewriteManifest(path, m => m["layers"]![0]!.AsObject().Remove("outputShape"));
        act.Should().Throw<InvalidDataFileException>().WithMessage("*layer 0*'outputShape' is missing*");
    }

    private sealed class ImpostorCodec : ILayerCodec
    {
        public string Kind => "dense";

        public bool Handles<T>(NeuralNet.Layers.Layer<T> layer) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => false;

        public void WriteConfig<T>(NeuralNet.Layers.Layer<T> layer, System.Text.Json.Utf8JsonWriter writer) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
        }

        public LayerPlan Plan(FeatureShape input, JsonSection config) => new(input, []);

        public NeuralNet.Layers.Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
            throw new InvalidOperationException("never created");
    }

    private static JsonObject Manifest(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        using Stream s = zip.GetEntry("manifest.json")!.Open();
        return JsonNode.Parse(s)!.AsObject();
    }

    private static void RewriteManifest(string path, Action<JsonObject> edit)
    {
        JsonObject manifest = Manifest(path);
        edit(manifest);
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry("manifest.json")!.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open());
        writer.Write(manifest.ToJsonString());
    }
}
