using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Onnx.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>Export then import gives the same layers with bit-identical weights, statistics and predictions.</summary>
public sealed class OnnxRoundTripTests
{
    public static TheoryData<string, bool, int> Cases()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (string name in Networks.ActivationNames)
        {
            foreach (int opset in new[] { 13, 17, 21 })
            {
                data.Add(name, false, opset);
                data.Add(name, true, opset);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportThenImport_EachActivation_BitIdentical(string activation, bool isDouble, int opset)
    {
        if (isDouble)
        {
            RoundTrip(Networks.WithActivation<double>(activation), new OnnxExportOptions { Opset = opset }, 5);
        }
        else
        {
            RoundTrip(Networks.WithActivation<float>(activation), new OnnxExportOptions { Opset = opset }, 5);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExportThenImport_BatchNormDropoutScalerLabels_BitIdentical(bool isDouble)
    {
        if (isDouble)
        {
            CheckEverything<double>();
        }
        else
        {
            CheckEverything<float>();
        }
    }

    private static void CheckEverything<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Scaler scaler = Networks.FittedScaler<T>(6, new MinMaxScaler());
        var labels = new LabelMap(["low", "mid", "high"]);
        var options = new OnnxExportOptions
        {
            Scaler = scaler,
            Labels = labels,
            IncludeArgMax = true,
            Metadata = new Dictionary<string, string> { ["dataset"] = "synthetic" },
        };
        Network<T> original = Networks.WithBatchNorm<T>();

        OnnxModel<T> imported = RoundTrip(original, options, 6, scaler);

        imported.Scaler.Should().NotBeNull();
        imported.Scaler!.Kind.Should().Be("min_max");
        imported.Scaler.Shift.Select(v => T.CreateTruncating(v)).Should().Equal(scaler.Shift.Select(v => T.CreateTruncating(v)));
        imported.Scaler.Divisor.Select(v => T.CreateTruncating(v)).Should().Equal(scaler.Divisor.Select(v => T.CreateTruncating(v)));
        imported.Labels!.ClassNames.Should().Equal(labels.ClassNames);
        imported.Metadata.Should().Contain("dataset", "synthetic");
        imported.ArgMaxName.Should().Be("class_index");
        imported.ProducerName.Should().Be(OnnxExporter.ProducerName);
        imported.IsDoubleFile.Should().Be(typeof(T) == typeof(double));

        // Dropout is the identity at inference and is not exported; the other layers come back in order.
        imported.Network.Layers.Select(l => l.Kind).Should().Equal("dense", "batchnorm", "dense", "batchnorm", "dense");
        var batchNorm = (BatchNormLayer<T>)imported.Network.Layers[3];
        T.CreateTruncating(batchNorm.Epsilon).Should().Be(T.CreateTruncating(1e-5));
    }

    [Fact]
    public void ExportThenImport_ActivationLayerAfterBatchNorm_KeepsItsOwnLayer()
    {
        Network<double> original = Networks.Randomize(new NetworkBuilder<double>(4)
            .AddDense(5).AddBatchNorm().Add((FeatureShape shape) => new ActivationLayer<double>(shape, NeuralNet.Activations.Activation.Silu))
            .AddDense(2, NeuralNet.Activations.Activation.Softmax).Build(), 9);

        OnnxModel<double> imported = RoundTrip(original, new OnnxExportOptions(), 4);

        imported.Network.Layers.Select(l => l.Describe()).Should().Equal(original.Layers.Select(l => l.Describe()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExportThenImport_ImageInput_KeepsShapeAndRunsInOnnxRuntime(bool withScaler)
    {
        // A 2x3x3 image input goes out as [N, 2, 3, 3] followed by Flatten, and comes back as the same feature shape.
        Network<float> original = Networks.Randomize(new NetworkBuilder<float>(new FeatureShape(2, 3, 3)).WithSeed(4)
            .AddDense(6, NeuralNet.Activations.Activation.ReLU).AddDense(3, NeuralNet.Activations.Activation.Softmax).Build(), 4);
        Scaler? scaler = withScaler ? Networks.FittedScaler<float>(18, new StandardScaler()) : null;
        var options = new OnnxExportOptions { Scaler = scaler };
        Matrix<float> x = Networks.Inputs<float>(9, 18);

        OnnxModel<float> imported = RoundTrip(original, options, 18, scaler);
        var (onnx, _) = OnnxRuntimeRunner.Run(OnnxExporter.ToBytes(original, options), x, [2, 3, 3]);

        imported.Network.InputShape.Should().Be(new FeatureShape(2, 3, 3));
        Tolerance.AssertClose(onnx, original.Predict(scaler is null ? x : scaler.Transform(x)), 1e-5);
    }

    /// <summary>Exports, imports, and compares layers, parameters and predictions bit for bit.</summary>
    private static OnnxModel<T> RoundTrip<T>(Network<T> original, OnnxExportOptions options, int inputs, Scaler? scaler = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        OnnxModel<T> imported = OnnxImporter.Load<T>(OnnxExporter.ToBytes(original, options));
        Network<T> network = imported.Network;
        Layer<T>[] expectedLayers = original.Layers.Where(l => l is not DropoutLayer<T>).ToArray();
        network.Layers.Should().HaveCount(expectedLayers.Length);
        for (int i = 0; i < expectedLayers.Length; i++)
        {
            Layer<T> a = expectedLayers[i], b = network.Layers[i];
            b.GetType().Should().Be(a.GetType());
            Bits(b.Parameters.Concat(b.Buffers)).Should().Equal(Bits(a.Parameters.Concat(a.Buffers)), $"layer {i} ({a.Describe()})");
            if (typeof(T) == typeof(double))
            {
                // Double graphs carry every constant in double, so even the descriptions match.
                b.Describe().Should().Be(a.Describe());
            }
        }

        Matrix<T> x = Networks.Inputs<T>(23, inputs);
        Matrix<T> expected = original.Predict(scaler is null ? x : scaler.Transform(x));
        Matrix<T> actual = network.Predict(imported.Scaler is null ? x : imported.Scaler.Transform(x));
        Bits(actual).Should().Equal(Bits(expected));
        return imported;
    }

    private static long[] Bits<T>(IEnumerable<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T> =>
        parameters.SelectMany(p => p.Value.ToArray()).Select(v => BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();

    private static long[] Bits<T>(Matrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> =>
        m.ToColumnMajorArray().Select(v => BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();
}
