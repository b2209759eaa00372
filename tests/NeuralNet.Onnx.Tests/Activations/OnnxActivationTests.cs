using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;
using NeuralNet.Onnx.Activations;
using NeuralNet.Onnx.Layers;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests.Activations;

/// <summary>The activation this package adds for imported models: values worked by hand and central-difference
/// gradient checks in double.</summary>
public sealed class OnnxActivationTests
{
    [Fact]
    public void LogSoftmax_Forward_IsLogOfSoftmaxPerRow()
    {
        // Rows (0, ln 3) and (5, 5), column-major: ln(1/4) and ln(3/4); ln(1/2) twice.
        double[] input = [0, 5, Math.Log(3), 5];
        var output = new double[4];
        LogSoftmax.Instance.Forward<double>(input, output, 2);
        output.Should().Equal([Math.Log(0.25), Math.Log(0.5), Math.Log(0.75), Math.Log(0.5)], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Theory]
    [InlineData("log_softmax")]
    public void Backward_MatchesCentralDifferences(string name)
    {
        var f = Networks.Activation(name);
        Network<double> network = new NetworkBuilder<double>(4).WithSeed(3)
            .AddDense(5, f)
            .Add((FeatureShape shape) => new ActivationLayer<double>(shape, f))
            .AddDense(3)
            .Build();
        Matrix<double> x = Networks.Inputs<double>(6, 4, seed: 1, scale: 2);
        Matrix<double> y = Networks.Inputs<double>(6, 3, seed: 2, scale: 1);

        GradientCheckResult result = GradientCheck.Run(network, x, y, Loss.MeanSquaredError);

        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void Register_ThenFromName_FindsLogSoftmax()
    {
        LogSoftmax.Register();
        NeuralNet.Activations.Activation.FromName("log_softmax").Should().BeSameAs(LogSoftmax.Instance);
    }
}
