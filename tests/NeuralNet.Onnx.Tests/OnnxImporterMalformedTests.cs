using Google.Protobuf;
using NeuralNet.Onnx.Protobuf;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>Hostile and unsupported files raise <see cref="InvalidDataFileException"/> naming the problem, with memory
/// bounded by the file's size.</summary>
public sealed class OnnxImporterMalformedTests
{
    /// <summary>A valid float model (5 → dense(8, relu) → dense(4, relu)) to break in different ways.</summary>
    private static ModelProto ValidModel() => OnnxExporter.BuildModel(Networks.WithActivation<float>("relu"), new OnnxExportOptions());

    private static InvalidDataFileException Rejected(ModelProto model) => Rejected(model.ToByteArray());

    private static InvalidDataFileException Rejected(byte[] bytes)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => OnnxImporter.Load<float>(bytes, "hostile.onnx");
        InvalidDataFileException e = load.Should().Throw<InvalidDataFileException>().Which;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Parsing, indexing and the exception cost a small multiple of the file; nothing its claims ask for.
        allocated.Should().BeLessThan(64L * bytes.Length + (1 << 20), e.Message);
        e.Message.Should().StartWith("hostile.onnx: ");
        return e;
    }

    [Fact]
    public void Load_ValidModel_Loads()
    {
        // The control for every test below: unbroken, the same model loads.
        OnnxImporter.Load<float>(ValidModel().ToByteArray()).Network.Layers.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Load_TruncatedFile_Rejected(double fraction)
    {
        byte[] bytes = ValidModel().ToByteArray();
        Rejected(bytes[..(int)(bytes.Length * fraction)]).Message.Should().Contain("not a valid ONNX model");
    }

    [Fact]
    public void Load_RandomBytes_Rejected()
    {
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        Rejected(bytes);
    }

    [Fact]
    public void Load_LengthPrefixClaimingGigabytes_RejectedWithoutAllocatingThem()
    {
        // Field 7 (graph), wire type 2, length 0x7FFFFFF0, then only a few bytes.
        byte[] bytes = [0x3A, 0xF0, 0xFF, 0xFF, 0xFF, 0x07, 1, 2, 3, 4];
        Rejected(bytes).Message.Should().Contain("not a valid ONNX model");
    }

    [Fact]
    public void Load_AbsurdDimensions_Rejected()
    {
        ModelProto model = ValidModel();
        TensorProto w = model.Graph.Initializer[0];
        w.Dims.Clear();
        w.Dims.AddRange([1L << 40, 1L << 40]);
        Rejected(model).Message.Should().Contain($"tensor '{w.Name}'").And.Contain("dimension");
    }

    [Fact]
    public void Load_TensorLargerThanItsData_Rejected()
    {
        ModelProto model = ValidModel();
        TensorProto w = model.Graph.Initializer[0];
        w.Dims.Clear();
        w.Dims.AddRange([20_000, 20_000]);
        Rejected(model).Message.Should().Contain("claims 20000 x 20000 = 400,000,000 elements (1,600,000,000 bytes) but its raw_data holds 160 bytes");
    }

    [Fact]
    public void Load_FloatDataShorterThanDims_Rejected()
    {
        ModelProto model = ValidModel();
        TensorProto b = model.Graph.Initializer[1];
        b.ClearRawData();
        b.FloatData.AddRange([1f, 2f]);
        Rejected(model).Message.Should().Contain($"tensor '{b.Name}' claims 8 = 8 elements but holds 2");
    }

    [Fact]
    public void Load_ExternalData_Rejected()
    {
        ModelProto model = ValidModel();
        TensorProto w = model.Graph.Initializer[0];
        w.ClearRawData();
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/passwd" });
        Rejected(model).Message.Should().Contain("external data ('/etc/passwd')");
    }

    /// <summary>A valid float CNN (2x6x6 → conv(3, 3x3, same, relu) → max pool(2) → average pool(3, padding 1) → flatten →
    /// dense(2)) whose image nodes are then broken.</summary>
    private static ModelProto ValidCnn() => OnnxExporter.BuildModel(
        new NetworkBuilder<float>(new FeatureShape(2, 6, 6)).WithSeed(1)
            .AddConv2D(3, 3, padding: NeuralNet.Layers.Padding2D.Same, activation: NeuralNet.Activations.Activation.ReLU)
            .AddMaxPool2D(2).AddAvgPool2D(3, stride: 1, padding: NeuralNet.Layers.Padding2D.Explicit(1, 1)).AddFlatten().AddDense(2).Build(),
        new OnnxExportOptions());

    private static NodeProto NodeOf(ModelProto model, string opType) => model.Graph.Node.Single(n => n.OpType == opType);

    [Fact]
    public void Load_ValidCnn_Loads()
    {
        // The baseline the cases below break: unbroken, it imports.
        OnnxImporter.Load<float>(ValidCnn().ToByteArray()).Network.Layers.Should().HaveCount(5);
    }

    [Fact]
    public void Load_GroupedConv_RejectedNamingNode()
    {
        ModelProto model = ValidCnn();
        NodeProto conv = NodeOf(model, "Conv");
        conv.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
        Rejected(model).Message.Should().Contain($"'{conv.Name}'").And.Contain("Conv").And.Contain("group=2");
    }

    [Fact]
    public void Load_PoolWithCeilMode_RejectedNamingNode()
    {
        ModelProto model = ValidCnn();
        NodeProto pool = NodeOf(model, "MaxPool");
        pool.Attribute.Add(new AttributeProto { Name = "ceil_mode", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        Rejected(model).Message.Should().Contain($"'{pool.Name}'").And.Contain("MaxPool").And.Contain("ceil_mode=1");
    }

    [Fact]
    public void Load_AveragePoolCountingPadding_RejectedNamingNode()
    {
        ModelProto model = ValidCnn();
        NodeProto pool = NodeOf(model, "AveragePool");
        pool.Attribute.Add(new AttributeProto { Name = "count_include_pad", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        Rejected(model).Message.Should().Contain($"'{pool.Name}'").And.Contain("AveragePool").And.Contain("count_include_pad=1");
    }

    [Fact]
    public void Load_ConvWithHugePadding_RejectedBeforeAllocating()
    {
        // Padding is a few bytes of attribute: 100 million rows and columns each side would ask for an output of 10^16
        // values per sample.
        ModelProto model = ValidCnn();
        NodeProto conv = NodeOf(model, "Conv");
        conv.Attribute.Single(a => a.Name == "pads").Ints.Clear();
        conv.Attribute.Single(a => a.Name == "pads").Ints.Add([100_000_000, 100_000_000, 100_000_000, 100_000_000]);
        Rejected(model).Message.Should().Contain($"'{conv.Name}'").And.Contain("features per sample");
    }

    [Fact]
    public void Load_ConvOnRows_RejectedNamingNode()
    {
        // The Conv reads the flat rows directly (the Reshape to [N, C, H, W] bypassed): rank 2 is no image.
        ModelProto model = ValidCnn();
        NodeProto conv = NodeOf(model, "Conv");
        NodeProto reshape = model.Graph.Node.Single(n => n.Output.Contains(conv.Input[0]));
        conv.Input[0] = reshape.Input[0];
        model.Graph.Node.Remove(reshape);
        Rejected(model).Message.Should().Contain($"'{conv.Name}'").And.Contain("rank 2");
    }

    [Fact]
    public void Load_UnsupportedOperators_ListsTypesAndNodes()
    {
        ModelProto model = ValidModel();
        model.Graph.Node[0].OpType = "ConvTranspose";
        model.Graph.Node[0].Name = "deconv1";
        model.Graph.Node[1].OpType = "LSTM";
        model.Graph.Node[1].Name = "rnn";
        model.Graph.Node[2].Domain = "com.microsoft";
        Rejected(model).Message.Should().Contain("unsupported operators: ConvTranspose (nodes 'deconv1'); LSTM (nodes 'rnn'); com.microsoft.Gemm");
    }

    [Fact]
    public void Load_NodeReadingMissingTensor_RejectedAsNotChaining()
    {
        ModelProto model = ValidModel();
        model.Graph.Node[1].Input[0] = "nowhere";
        Rejected(model).Message.Should().Contain("does not chain").And.Contain("'nowhere'");
    }

    [Fact]
    public void Load_Branch_RejectedAsNotChaining()
    {
        // A second Relu also reads the first Gemm's output: two paths, not a chain.
        ModelProto model = ValidModel();
        var extra = new NodeProto { OpType = "Relu", Name = "side", Input = { model.Graph.Node[0].Output[0] }, Output = { "side_out" } };
        model.Graph.Node.Add(extra);
        Rejected(model).Message.Should().Contain("does not chain");
    }

    [Fact]
    public void Load_TensorReadByThousandsOfNodes_Rejected()
    {
        ModelProto model = ValidModel();
        for (int i = 0; i < 5000; i++)
        {
            model.Graph.Node.Add(new NodeProto { OpType = "Relu", Name = $"fan{i}", Input = { "input" }, Output = { $"fan{i}_out" } });
        }

        Rejected(model).Message.Should().Contain("does not chain at tensor 'input': 5001 nodes read it");
    }

    [Fact]
    public void Load_PartialDecomposition_RejectedNamingTheReaders()
    {
        // Erf alone is part of PyTorch's GELU decomposition but not a layer by itself.
        ModelProto model = ValidModel();
        model.Graph.Node[1].OpType = "Erf";
        Rejected(model).Message.Should().Contain("does not chain at tensor").And.Contain("(Erf) form no supported layer");
    }

    [Fact]
    public void Load_HalfPrecisionWeights_RejectedNamingTheType()
    {
        ModelProto model = ValidModel();
        model.Graph.Initializer[0].DataType = (int)TensorProto.Types.DataType.Float16;
        Rejected(model).Message.Should().Contain("element type FLOAT16");
    }

    [Fact]
    public void Load_NonFiniteWeight_RejectedNamingNodeAndIndex()
    {
        ModelProto model = ValidModel();
        TensorProto b = model.Graph.Initializer[1];
        byte[] raw = b.RawData.ToByteArray();
        BitConverter.GetBytes(float.NaN).CopyTo(raw, 4 * 3);
        b.RawData = ByteString.CopyFrom(raw);
        Rejected(model).Message.Should().Contain("node 'layer0/Gemm_0': bias[3] is NaN; weights must be finite");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1e-3f)]
    [InlineData(1e-40f)]
    public void Load_BatchNormEpsilonNotPositiveNormal_Rejected(float epsilon)
    {
        ModelProto model = OnnxExporter.BuildModel(Networks.WithBatchNorm<float>(), new OnnxExportOptions());
        NodeProto batchNorm = model.Graph.Node.First(n => n.OpType == "BatchNormalization");
        batchNorm.Attribute.First(a => a.Name == "epsilon").F = epsilon;
        Rejected(model).Message.Should().Contain($"node '{batchNorm.Name}'").And.Contain("epsilon");
    }

    [Fact]
    public void Load_ScalerDivisorZero_Rejected()
    {
        ModelProto model = OnnxExporter.BuildModel(Networks.WithActivation<float>("relu"),
            new OnnxExportOptions { Scaler = Networks.FittedScaler<float>(5, new NeuralNet.Data.StandardScaler()) });
        TensorProto divisor = model.Graph.Initializer.First(t => t.Name.EndsWith("divisor", StringComparison.Ordinal));
        divisor.RawData = ByteString.CopyFrom(new byte[divisor.RawData.Length]);
        Rejected(model).Message.Should().Contain("scaler").And.Contain("positive normal");
    }

    [Fact]
    public void Load_OutputNotComputed_Rejected()
    {
        ModelProto model = ValidModel();
        model.Graph.Output[0].Name = "elsewhere";
        Rejected(model).Message.Should().Contain("not a graph output");
    }

    [Fact]
    public void Load_WeightsThatDoNotFit_RejectedNamingTheNode()
    {
        ModelProto model = ValidModel();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 6;
        Rejected(model).Message.Should().Contain("layer0/Gemm_0").And.Contain("take 5 features but the tensor before holds 6");
    }

    [Fact]
    public void Load_SymbolicFeatureDimension_Rejected()
    {
        ModelProto model = ValidModel();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimParam = "features";
        Rejected(model).Message.Should().Contain("feature dimension 'features'");
    }

    [Fact]
    public void Load_UnknownOpset_Rejected()
    {
        ModelProto model = ValidModel();
        model.OpsetImport[0].Version = 99;
        Rejected(model).Message.Should().Contain("operator set 99");
    }

    [Fact]
    public void Load_DeeplyNestedGraphs_RejectedByRecursionLimit()
    {
        // Graphs nested in node attributes (as If/Loop bodies are) 100 levels deep.
        var graph = new GraphProto { Name = "innermost" };
        for (int i = 0; i < 100; i++)
        {
            var node = new NodeProto { OpType = "If", Name = $"if{i}" };
            node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = graph });
            graph = new GraphProto { Name = $"level{i}", Node = { node } };
        }

        ModelProto model = ValidModel();
        model.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = graph });
        Rejected(model).Message.Should().Contain("not a valid ONNX model").And.Contain("too many levels of nesting");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Action load = () => OnnxImporter.Load<float>(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".onnx"));
        load.Should().Throw<FileNotFoundException>();
    }
}
