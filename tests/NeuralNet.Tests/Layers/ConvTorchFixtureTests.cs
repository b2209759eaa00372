using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Two small CNNs against PyTorch in double (Layers/Fixtures/conv-torch.json, written by Layers/Fixtures/make_conv_fixtures.py):
/// the same weights give the same softmax outputs, loss and parameter gradients to 1e-10. The weights are copied as
/// flat arrays with no reordering: a convolution's <c>[C·KH·KW x F]</c> column-major matrix is PyTorch's
/// <c>[F, C, KH, KW]</c> row-major tensor, and a dense <c>[in x out]</c> one is <c>Linear.weight</c> <c>[out, in]</c>.
/// </summary>
public sealed class ConvTorchFixtureTests
{
    private const double Tolerance = 1e-10;

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public void SmallCnn_OutputsLossAndGradients_MatchPyTorch(string name)
    {
        JsonElement fixture = LoadNetwork(name);
        Layer<double>[] layers = name == "a" ? NetworkA() : NetworkB();
        var network = new Network<double>(layers[0].InputShape, layers);
        Layer<double>[] parametric = layers.Where(l => l.Parameters.Count > 0).ToArray();
        JsonElement[] parameters = fixture.GetProperty("parameters").EnumerateArray().ToArray();
        parametric.Should().HaveSameCount(parameters);
        for (int i = 0; i < parametric.Length; i++)
        {
            Doubles(parameters[i], "weight").CopyTo(parametric[i].Parameters[0].Value);
            if (parameters[i].TryGetProperty("bias", out _))
            {
                Doubles(parameters[i], "bias").CopyTo(parametric[i].Parameters[1].Value);
            }
            else
            {
                parametric[i].Parameters.Should().HaveCount(1);
            }
        }

        // PyTorch's input is [batch, C, H, W] row-major: row b is one sample's C·H·W features, channel-major.
        int batch = fixture.GetProperty("batch").GetInt32();
        double[] flat = Doubles(fixture, "input");
        int features = flat.Length / batch;
        Matrix<double> x = Matrix<double>.Build.Dense(batch, features, (b, f) => flat[b * features + f]);
        int[] labels = fixture.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Matrix<double> y = Matrix<double>.Build.Dense(batch, 1, (b, _) => labels[b]);

        double loss = network.ComputeGradients(x, y, Loss.SparseCategoricalCrossEntropy);
        Matrix<double> probabilities = network.Predict(x);

        loss.Should().BeApproximately(fixture.GetProperty("loss").GetDouble(), Tolerance);
        double[] expected = Doubles(fixture, "probabilities");
        int classes = expected.Length / batch;
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < classes; c++)
            {
                probabilities[b, c].Should().BeApproximately(expected[b * classes + c], Tolerance, $"sample {b}, class {c}");
            }
        }

        for (int i = 0; i < parametric.Length; i++)
        {
            ShouldMatch(parametric[i].Parameters[0].Gradient.ToArray(), Doubles(parameters[i], "weight_grad"), $"{parametric[i].Describe()} dW");
            if (parametric[i].Parameters.Count > 1)
            {
                ShouldMatch(parametric[i].Parameters[1].Gradient.ToArray(), Doubles(parameters[i], "bias_grad"), $"{parametric[i].Describe()} db");
            }
        }
    }

    /// <summary>conv 3x3 pad 1 + ReLU, max pool 2, conv (2x3, stride (2, 1), pad 1, dilation (1, 2)) + tanh,
    /// avg pool 2 stride 1, flatten, dense 3 + softmax.</summary>
    private static Layer<double>[] NetworkA()
    {
        var conv1 = new Conv2DLayer<double>(new FeatureShape(2, 9, 8), 4, 3, padding: Padding2D.Explicit(1, 1), activation: Activation.ReLU);
        var pool1 = new MaxPool2DLayer<double>(conv1.OutputShape, 2);
        var conv2 = new Conv2DLayer<double>(pool1.OutputShape, 5, (2, 3), (2, 1), Padding2D.Explicit(1, 1), (1, 2), Activation.Tanh);
        var pool2 = new AvgPool2DLayer<double>(conv2.OutputShape, 2, stride: 1);
        var flatten = new FlattenLayer<double>(pool2.OutputShape);
        return [conv1, pool1, conv2, pool2, flatten, new DenseLayer<double>(flatten.OutputSize, 3, Activation.Softmax)];
    }

    /// <summary>conv 3x3 stride 2 "same" (PyTorch: zero pad right and bottom by 1) + ReLU, max pool 3 stride 2 pad 1,
    /// conv 1x1 without bias, global average pool, dense 2 + softmax.</summary>
    private static Layer<double>[] NetworkB()
    {
        var conv1 = new Conv2DLayer<double>(new FeatureShape(3, 8, 8), 6, 3, 2, Padding2D.Same, activation: Activation.ReLU);
        var pool = new MaxPool2DLayer<double>(conv1.OutputShape, 3, 2, Padding2D.Explicit(1, 1));
        var conv2 = new Conv2DLayer<double>(pool.OutputShape, 4, 1, useBias: false);
        var global = new GlobalAveragePoolLayer<double>(conv2.OutputShape);
        return [conv1, pool, conv2, global, new DenseLayer<double>(4, 2, Activation.Softmax)];
    }

    private static void ShouldMatch(double[] actual, double[] expected, string what)
    {
        actual.Should().HaveSameCount(expected, what);
        for (int i = 0; i < actual.Length; i++)
        {
            actual[i].Should().BeApproximately(expected[i], Tolerance, $"{what}[{i}]");
        }
    }

    private static double[] Doubles(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static JsonElement LoadNetwork(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Layers", "Fixtures", "conv-torch.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name).Clone();
    }
}
