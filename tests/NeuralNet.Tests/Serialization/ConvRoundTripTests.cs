using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Serialization;

/// <summary>Convolution and pooling layers survive a save and load bit for bit; broken configurations are rejected.</summary>
public sealed class ConvRoundTripTests
{
    /// <summary>Every window layer and option: same / explicit padding, stride, dilation, no bias, both poolings,
    /// global average pooling and flatten.</summary>
    private static Network<T> Build<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new NetworkBuilder<T>(new FeatureShape(2, 11, 10)).WithSeed(7)
            .AddConv2D(6, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(3, stride: 2, padding: Padding2D.Explicit(1, 1))
            .AddConv2D(5, (2, 3), stride: (1, 2), padding: Padding2D.Explicit(1, 0, 2, 1), dilation: (2, 1), activation: Activation.Tanh, useBias: false)
            .AddAvgPool2D(2, stride: 1, padding: Padding2D.Explicit(0, 1, 1, 0))
            .AddFlatten()
            .AddDense(4, Activation.ReLU)
            .AddDense(3, Activation.Softmax)
            .Build();

    private static void RoundTrip<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var dir = new TempDirectory();
        Network<T> net = Build<T>();
        Matrix<T> x = Matrix<T>.Build.Dense(5, net.InputSize, (i, j) => T.CreateChecked(Math.Sin(i + 0.37 * j)));

        ModelFile.Save(dir.File("m.nnm"), net);
        Network<T> loaded = ModelFile.Load<T>(dir.File("m.nnm")).Network;

        loaded.InputShape.Should().Be(net.InputShape);
        loaded.Layers.Select(l => l.Describe()).Should().Equal(net.Layers.Select(l => l.Describe()));
        loaded.Layers.Select(l => l.OutputShape).Should().Equal(net.Layers.Select(l => l.OutputShape));
        loaded.Parameters.Should().HaveSameCount(net.Parameters);
        for (int i = 0; i < net.Parameters.Count; i++)
        {
            loaded.Parameters[i].Value.ToArray().Should().Equal(net.Parameters[i].Value.ToArray());
        }

        loaded.Predict(x).ToColumnMajorArray().Should().Equal(net.Predict(x).ToColumnMajorArray());
    }

    [Fact]
    public void Load_ConvPoolNetworkFloat_PredictsBitIdentically() => RoundTrip<float>();

    [Fact]
    public void Load_ConvPoolNetworkDouble_PredictsBitIdentically() => RoundTrip<double>();

    [Fact]
    public void Load_GlobalAveragePoolNetwork_PredictsBitIdentically()
    {
        using var dir = new TempDirectory();
        Network<double> net = new NetworkBuilder<double>(new FeatureShape(3, 6, 6)).WithSeed(2)
            .AddConv2D(4, 1).AddGlobalAveragePool().AddDense(2).Build();
        Matrix<double> x = Matrix<double>.Build.Dense(3, net.InputSize, (i, j) => Math.Cos(i * 3 + j));

        ModelFile.Save(dir.File("m.nnm"), net);
        Network<double> loaded = ModelFile.Load<double>(dir.File("m.nnm")).Network;

        loaded.Layers[1].Should().BeOfType<GlobalAveragePoolLayer<double>>();
        loaded.Predict(x).ToColumnMajorArray().Should().Equal(net.Predict(x).ToColumnMajorArray());
    }

    [Theory]
    [InlineData(0, "padding", "\"diagonal\"", "*layer 0 (conv2d)*'padding'*diagonal*")]
    [InlineData(0, "kernel_height", "0", "*layer 0 (conv2d)*'kernel_height' is 0*")]
    [InlineData(0, "kernel_width", "5", "*layer 0 (conv2d)*tensor W is [18x6]*gives [30x6]*")]
    [InlineData(2, "kernel_height", "40", "*layer 2 (conv2d)*window*does not fit*")]
    [InlineData(0, "dilation_width", "100000", "*layer 0 (conv2d)*'dilation_width' is 100000*")]
    [InlineData(0, "use_bias", "1", "*layer 0 (conv2d)*'use_bias' must be true or false*")]
    [InlineData(1, "pad_top", "3", "*layer 1 (max_pool2d)*padding*smaller than the 3x3 window*")]
    public void Load_BrokenConvConfig_ThrowsInvalidDataFile(int layer, string field, string json, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.nnm");
        ModelFile.Save(path, Build<float>());
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            ZipArchiveEntry entry = zip.GetEntry("manifest.json")!;
            JsonObject manifest;
            using (Stream s = entry.Open())
            {
                manifest = JsonNode.Parse(s)!.AsObject();
            }

            manifest["layers"]![layer]!["config"]![field] = JsonNode.Parse(json);
            entry.Delete();
            using Stream w = zip.CreateEntry("manifest.json").Open();
            w.Write(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        }

        FluentActions.Invoking(() => ModelFile.Load<float>(path)).Should().Throw<InvalidDataFileException>().WithMessage(message);
    }

    [Fact]
    public void Save_AfterTraining_ReloadsSameGradients()
    {
        // The loaded network is a working network, not only a predictor: the same batch gives the same gradients.
        using var dir = new TempDirectory();
        Network<double> net = Build<double>();
        Matrix<double> x = Matrix<double>.Build.Dense(4, net.InputSize, (i, j) => Math.Sin(2 * i - j));
        Matrix<double> y = Matrix<double>.Build.Dense(4, 1, (i, _) => i % 3);
        ModelFile.Save(dir.File("m.nnm"), net);
        Network<double> loaded = ModelFile.Load<double>(dir.File("m.nnm")).Network;

        double expected = net.ComputeGradients(x, y, Loss.SparseCategoricalCrossEntropy);
        double actual = loaded.ComputeGradients(x, y, Loss.SparseCategoricalCrossEntropy);

        actual.Should().Be(expected);
        for (int i = 0; i < net.Parameters.Count; i++)
        {
            loaded.Parameters[i].Gradient.ToArray().Should().Equal(net.Parameters[i].Gradient.ToArray());
        }
    }
}
