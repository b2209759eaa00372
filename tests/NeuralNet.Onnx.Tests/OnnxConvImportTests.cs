using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>Convolution and pooling networks exported to ONNX import back to the same layers (Conv2D, MaxPool2D,
/// AvgPool2D, GlobalAveragePool, Flatten, Dense) with bit-identical weights and predictions.</summary>
public sealed class OnnxConvImportTests
{
    /// <summary>Same and asymmetric explicit padding, stride, dilation, no bias, both poolings (average with padding),
    /// an activation layer between image layers (it keeps the image shape for the convolution after it), a flatten and
    /// a dense head.</summary>
    private static Network<T> Strided<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Networks.Randomize(new NetworkBuilder<T>(new FeatureShape(2, 11, 10)).WithSeed(7)
            .AddConv2D(6, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(3, stride: 2, padding: Padding2D.Explicit(1, 1))
            .Add((FeatureShape shape) => new ActivationLayer<T>(shape, Activation.Sigmoid))
            .AddConv2D(5, (2, 3), stride: (1, 2), padding: Padding2D.Explicit(1, 0, 2, 1), dilation: (2, 1), activation: Activation.Tanh, useBias: false)
            .AddAvgPool2D(2, stride: 1, padding: Padding2D.Explicit(0, 1, 1, 0))
            .AddFlatten()
            .AddDense(3, Activation.Softmax)
            .Build(), 3);

    /// <summary>Stride-2 "same" padding (one more row below and column right), a 1x1 convolution, global average
    /// pooling (whose output already is flat, so no flatten), and a valid convolution with a sigmoid.</summary>
    private static Network<T> Global<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Networks.Randomize(new NetworkBuilder<T>(new FeatureShape(3, 9, 8)).WithSeed(4)
            .AddConv2D(4, 3, stride: 2, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddConv2D(4, 2, activation: Activation.Sigmoid)
            .AddConv2D(3, 1)
            .AddGlobalAveragePool()
            .AddDense(2)
            .Build(), 5);

    [Fact]
    public void ExportThenImport_ConvPoolNetworks_Float_BitIdentical()
    {
        foreach (int opset in new[] { 13, 17, 21 })
        {
            RoundTrip(Strided<float>(), opset);
            RoundTrip(Global<float>(), opset);
        }
    }

    [Fact]
    public void ExportThenImport_ConvPoolNetworks_Double_BitIdentical()
    {
        foreach (int opset in new[] { 13, 17, 21 })
        {
            RoundTrip(Strided<double>(), opset);
            RoundTrip(Global<double>(), opset);
        }
    }

    /// <summary>Exports, imports, and compares layer types, geometry, parameters and predictions bit for bit. Same
    /// padding comes back as the explicit amounts the exporter resolved it to, so geometry is compared resolved.</summary>
    private static void RoundTrip<T>(Network<T> original, int opset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        OnnxModel<T> imported = OnnxImporter.Load<T>(OnnxExporter.ToBytes(original, new OnnxExportOptions { Opset = opset }));
        Network<T> network = imported.Network;
        network.InputShape.Should().Be(original.InputShape);
        network.Layers.Select(l => l.GetType()).Should().Equal(original.Layers.Select(l => l.GetType()));
        for (int i = 0; i < original.Layers.Count; i++)
        {
            Layer<T> a = original.Layers[i], b = network.Layers[i];
            b.InputShape.Should().Be(a.InputShape, $"layer {i} ({a.Describe()})");
            b.OutputShape.Should().Be(a.OutputShape, $"layer {i} ({a.Describe()})");
            Bits(b.Parameters).Should().Equal(Bits(a.Parameters), $"layer {i} ({a.Describe()})");
            if (a is Conv2DLayer<T> ca && b is Conv2DLayer<T> cb)
            {
                (cb.Kernel, cb.Stride, cb.Dilation, cb.Activation.GetType(), cb.BiasParameter is null)
                    .Should().Be((ca.Kernel, ca.Stride, ca.Dilation, ca.Activation.GetType(), ca.BiasParameter is null));
                var size = new Size2D(ca.InputShape.Height, ca.InputShape.Width);
                cb.Padding.Resolve(size, cb.Kernel, cb.Stride, cb.Dilation).Should().Be(ca.Padding.Resolve(size, ca.Kernel, ca.Stride, ca.Dilation));
            }
        }

        Matrix<T> x = Networks.Inputs<T>(17, original.InputSize);
        Bits(network.Predict(x)).Should().Equal(Bits(original.Predict(x)));
    }

    private static long[] Bits<T>(IEnumerable<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T> =>
        parameters.SelectMany(p => p.Value.ToArray()).Select(v => BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();

    private static long[] Bits<T>(Matrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> =>
        m.ToColumnMajorArray().Select(v => BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();
}
