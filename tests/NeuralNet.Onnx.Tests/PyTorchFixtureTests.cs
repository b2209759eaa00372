using Xunit.Abstractions;
using System.Numerics;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Models exported by real PyTorch 1.13 (Fixtures/make_fixtures.py, run with Debian's python3-torch): the imported
/// network reproduces the outputs torch computed for a fixed batch, to 1e-5 in float and 1e-12 in double (relative to
/// max(|expected|, 1)).
/// </summary>
public sealed class PyTorchFixtureTests(ITestOutputHelper log)
{
    public static TheoryData<string, string> Fixtures() => new()
    {
        { "relu_tanh_softmax", "dense(relu) dense(tanh) dense(softmax)" },
        { "relu_tanh_softmax_opset13", "dense(relu) dense(softmax)" },
        { "gelu_erf_and_tanh", "dense(gelu_exact) dense(gelu) dense(identity)" },
        { "batchnorm_leaky_elu_logsoftmax", "dense(identity) batchnorm(momentum=0.8999999761581421, epsilon=9.999999747378752E-06) activation(leaky_relu(alpha=0.10000000149011612)) dense(elu(alpha=0.5)) dense(log_softmax)" },
        { "selu_softplus_sigmoid_silu", "dense(selu) dense(softplus) dense(sigmoid) dense(silu) dense(identity)" },
        { "flatten_image", "dense(relu) dense(identity)" },
        { "no_bias_batchnorm_first", "batchnorm(momentum=0.8999999761581421, epsilon=9.999999747378752E-06) activation(tanh) dense(relu) dense(identity)" },
        { "double_gelu_batchnorm", "dense(identity) batchnorm(momentum=0.8999999761581421, epsilon=9.999999747378752E-06) activation(gelu) dense(elu(alpha=1)) dense(identity)" },
        { "cnn_pool_flatten", "conv2d(4, 3x3, explicit(1,1,1,1), relu) max_pool2d(2x2) conv2d(5, 3x2, stride 1x2, explicit(2,2,1,1), dilation 2x1, tanh) avg_pool2d(2x2, stride 1x1, explicit(1,1,1,1)) flatten dense(identity)" },
        { "cnn_global_pool", "conv2d(4, 3x3, stride 2x2, explicit(1,1,1,1), relu) conv2d(3, 1x1, sigmoid) global_average_pool dense(identity)" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Load_PyTorchExport_ReproducesTorchOutputs(string name, string layers)
    {
        Fixture fixture = Fixture.Read(name);
        if (fixture.DType == "float64")
        {
            Check<double>(name, fixture, layers, 1e-12);
        }
        else
        {
            Check<float>(name, fixture, layers, 1e-5);
        }
    }

    private void Check<T>(string name, Fixture fixture, string layers, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        OnnxModel<T> model = OnnxImporter.Load<T>(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".onnx"));

        model.ProducerName.Should().Be("pytorch");
        int[] dims = fixture.InputShape;
        model.Network.InputShape.Should().Be(dims.Length == 4 ? new FeatureShape(dims[1], dims[2], dims[3]) : FeatureShape.Flat(model.Network.InputSize));
        model.IsDoubleFile.Should().Be(typeof(T) == typeof(double));
        string.Join(' ', model.Network.Layers.Select(l => l.Describe())).Should().Be(layers);
        Matrix<T> output = model.Network.Predict(fixture.Input<T>());
        double worst = Tolerance.AssertClose(output, fixture.Output<T>(), tolerance, name);
        log.WriteLine($"{name}: worst scaled error {worst:E2} ({typeof(T).Name})");
    }

    [Fact]
    public void Load_FloatFileIntoDoubleNetwork_WidensExactly()
    {
        Fixture fixture = Fixture.Read("relu_tanh_softmax");
        OnnxModel<double> model = OnnxImporter.Load<double>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "relu_tanh_softmax.onnx"));

        model.IsDoubleFile.Should().BeFalse();
        Tolerance.AssertClose(model.Network.Predict(fixture.Input<double>()), fixture.Output<double>(), 1e-5);
    }

    [Theory]
    [InlineData("batchnorm_leaky_elu_logsoftmax")]
    [InlineData("gelu_erf_and_tanh")]
    [InlineData("cnn_pool_flatten")]
    public void Load_PyTorchExport_SavesAsModelFileAndLoadsBitIdentically(string name)
    {
        // Imported networks may hold activation layers and the package's activations; both have model-file codecs.
        Fixture fixture = Fixture.Read(name);
        OnnxModel<float> model = OnnxImporter.Load<float>(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".onnx"));
        using var directory = new TempDirectory();
        string path = directory.File(name + ".nnm");

        NeuralNet.Serialization.ModelFile.Save(path, model.Network);
        Network<float> loaded = NeuralNet.Serialization.ModelFile.Load<float>(path).Network;

        loaded.Layers.Select(l => l.Describe()).Should().Equal(model.Network.Layers.Select(l => l.Describe()));
        loaded.Predict(fixture.Input<float>()).ToColumnMajorArray().Should().Equal(model.Network.Predict(fixture.Input<float>()).ToColumnMajorArray());
    }

    private sealed record Fixture(string DType, int[] InputShape, double[] Input_, int[] OutputShape, double[] Output_)
    {
        public static Fixture Read(string name)
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json")));
            JsonElement root = json.RootElement;
            return new Fixture(
                root.GetProperty("dtype").GetString()!,
                root.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("input").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                root.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("output").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        }

        /// <summary>The batch as [N, features], each sample's C*H*W values in NCHW order (torch's flatten order).</summary>
        public Matrix<T> Input<T>() where T : unmanaged, IFloatingPointIeee754<T> => RowMajor<T>(InputShape, Input_);

        public Matrix<T> Output<T>() where T : unmanaged, IFloatingPointIeee754<T> => RowMajor<T>(OutputShape, Output_);

        private static Matrix<T> RowMajor<T>(int[] shape, double[] values) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int rows = shape[0], columns = shape.Skip(1).Aggregate(1, (p, d) => p * d);
            return Matrix<T>.Build.Dense(rows, columns, (r, c) => T.CreateTruncating(values[r * columns + c]));
        }
    }
}
