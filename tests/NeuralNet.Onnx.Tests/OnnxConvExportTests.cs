using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Onnx.Tests;

/// <summary>Convolution and pooling networks export to ONNX graphs (Reshape, Conv, MaxPool, AveragePool,
/// GlobalAveragePool, Flatten) that run in ONNX Runtime with <c>Predict</c>'s outputs and pass the ONNX checker. Only float
/// graphs run: ONNX Runtime's CPU provider has no double Conv kernel ("Could not find an implementation for Conv(11)").</summary>
public sealed class OnnxConvExportTests(ITestOutputHelper log)
{
    /// <summary>Every window layer and option: same and asymmetric explicit padding, stride, dilation, no bias, both
    /// poolings (average with padding, which ONNX's count_include_pad=0 excludes as the layer does), flatten.</summary>
    private static Network<T> Strided<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new NetworkBuilder<T>(new FeatureShape(2, 11, 10)).WithSeed(7)
            .AddConv2D(6, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(3, stride: 2, padding: Padding2D.Explicit(1, 1))
            .AddConv2D(5, (2, 3), stride: (1, 2), padding: Padding2D.Explicit(1, 0, 2, 1), dilation: (2, 1), activation: Activation.Tanh, useBias: false)
            .AddAvgPool2D(2, stride: 1, padding: Padding2D.Explicit(0, 1, 1, 0))
            .AddFlatten()
            .AddDense(3, Activation.Softmax)
            .Build();

    /// <summary>Stride-2 "same" padding (asymmetric: one more row below and column right), a 1x1 convolution and global
    /// average pooling.</summary>
    private static Network<T> Global<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new NetworkBuilder<T>(new FeatureShape(3, 8, 8)).WithSeed(4)
            .AddConv2D(4, 3, stride: 2, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddConv2D(3, 1)
            .AddGlobalAveragePool()
            .AddDense(2)
            .Build();

    [Fact]
    public void Save_ConvPoolNetworks_OnnxRuntimeMatchesPredict()
    {
        foreach (Network<float> network in new[] { Strided<float>(), Global<float>() })
        {
            FeatureShape shape = network.InputShape;
            Matrix<float> x = Networks.Inputs<float>(6, network.InputSize);
            foreach (int opset in new[] { 13, 17, 21 })
            {
                byte[] model = OnnxExporter.ToBytes(network, new OnnxExportOptions { Opset = opset });
                var (output, _) = OnnxRuntimeRunner.Run(model, x, [shape.Channels, shape.Height, shape.Width]);
                double worst = Tolerance.AssertClose(output, network.Predict(x), Tolerance.For<float>(), $"({shape}, opset {opset})");
                log.WriteLine($"{shape} opset {opset}: worst scaled error {worst:E2}");
            }
        }
    }

    [Fact]
    public void Save_ConvPoolNetworks_PassOnnxChecker()
    {
        using var dir = new TempDirectory();
        var paths = new List<string>();
        foreach (var (name, bytes) in new (string, byte[])[]
        {
            ("strided-float", OnnxExporter.ToBytes(Strided<float>())),
            ("strided-double", OnnxExporter.ToBytes(Strided<double>())),
            ("global-float", OnnxExporter.ToBytes(Global<float>())),
            ("global-double", OnnxExporter.ToBytes(Global<double>())),
        })
        {
            string path = dir.File(name + ".onnx");
            File.WriteAllBytes(path, bytes);
            paths.Add(path);
        }

        var (allPassed, report) = OnnxChecker.Check(paths);

        allPassed.Should().BeTrue(report);
    }
}
