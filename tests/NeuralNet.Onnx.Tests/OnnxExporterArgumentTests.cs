using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>The exporter's argument checks, and its atomic file writes.</summary>
public sealed class OnnxExporterArgumentTests
{
    private static readonly Network<float> Network = Networks.WithActivation<float>("relu");

    [Theory]
    [InlineData(12)]
    [InlineData(22)]
    public void ToBytes_OpsetOutOfRange_Throws(int opset)
    {
        Action export = () => OnnxExporter.ToBytes(Network, new OnnxExportOptions { Opset = opset });
        export.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options").WithMessage($"*Opset={opset}*");
    }

    [Fact]
    public void ToBytes_ScalerNotFittedOnTheInputs_Throws()
    {
        Action unfitted = () => OnnxExporter.ToBytes(Network, new OnnxExportOptions { Scaler = new StandardScaler() });
        Action wrongWidth = () => OnnxExporter.ToBytes(Network, new OnnxExportOptions { Scaler = Networks.FittedScaler<float>(3, new StandardScaler()) });

        unfitted.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*5 inputs*0 features*");
        wrongWidth.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*5 inputs*3 features*");
    }

    [Fact]
    public void ToBytes_LabelCountDiffersFromOutputs_Throws()
    {
        Action export = () => OnnxExporter.ToBytes(Network, new OnnxExportOptions { Labels = new LabelMap(["a", "b"]) });
        export.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*4 outputs but 2 class names*");
    }

    [Theory]
    [InlineData("x", "x", "class_index")]
    [InlineData("", "output", "class_index")]
    [InlineData("input", "output", "output")]
    public void ToBytes_EmptyOrClashingNames_Throw(string input, string output, string argMax)
    {
        Action export = () => OnnxExporter.ToBytes(Network, new OnnxExportOptions { InputName = input, OutputName = output, ArgMaxName = argMax, IncludeArgMax = true });
        export.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*non-empty and distinct*");
    }

    [Fact]
    public void ToBytes_ReservedMetadataKey_Throws()
    {
        Action export = () => OnnxExporter.ToBytes(Network, new OnnxExportOptions { Metadata = new Dictionary<string, string> { ["neuralnet.scaler"] = "x" } });
        export.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*'neuralnet.scaler'*");
    }

    [Fact]
    public void ToBytes_LayerWithoutOnnxForm_ThrowsNamingIt()
    {
        var network = new Network<float>(3, [new DenseLayer<float>(3, 2), new NegateLayer(2)]);
        Action export = () => OnnxExporter.ToBytes(network);
        export.Should().Throw<ArgumentException>().WithParameterName("network").WithMessage("*'negate'*");
    }

    [Fact]
    public void ToBytes_CustomActivation_ThrowsNamingIt()
    {
        var network = new Network<float>(3, [new DenseLayer<float>(3, 2, new Cube())]);
        Action export = () => OnnxExporter.ToBytes(network);
        export.Should().Throw<ArgumentException>().WithParameterName("network").WithMessage("*'cube'*");
    }

    [Fact]
    public void Save_OverAnExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        using var directory = new TempDirectory();
        string path = directory.File("model.onnx");
        File.WriteAllText(path, "an older file");

        OnnxExporter.Save(path, Network);

        File.ReadAllBytes(path).Should().Equal(OnnxExporter.ToBytes(Network));
        Directory.GetFiles(directory.Path).Should().ContainSingle();
    }

    [Fact]
    public void Save_NullArguments_Throw()
    {
        Action nullPath = () => OnnxExporter.Save(null!, Network);
        Action nullNetwork = () => OnnxExporter.Save("x.onnx", (Network<float>)null!);
        nullPath.Should().Throw<ArgumentNullException>().WithParameterName("path");
        nullNetwork.Should().Throw<ArgumentNullException>().WithParameterName("network");
    }

    /// <summary>A layer ONNX export does not know: <c>y = -x</c>.</summary>
    private sealed class NegateLayer(int size) : Layer<float>
    {
        public override int InputSize => size;

        public override int OutputSize => size;

        public override string Kind => "negate";

        protected override void ForwardCore(ReadOnlySpan<float> input, Span<float> output, int batchSize, bool training) => Infer(input, output, batchSize);

        protected override void BackwardCore(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
        {
            for (int i = 0; i < inputGradient.Length; i++)
            {
                inputGradient[i] = -outputGradient[i];
            }
        }

        public override void Infer(ReadOnlySpan<float> input, Span<float> output, int batchSize)
        {
            for (int i = 0; i < batchSize * size; i++)
            {
                output[i] = -input[i];
            }
        }
    }

    /// <summary>An activation ONNX export does not know: <c>f(z) = z³</c>.</summary>
    private sealed class Cube : IActivation
    {
        public string Name => "cube";

        public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = input[i] * input[i] * input[i];
            }
        }

        public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < outputGradient.Length; i++)
            {
                inputGradient[i] = T.CreateTruncating(3) * input[i] * input[i] * outputGradient[i];
            }
        }
    }
}
