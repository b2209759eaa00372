using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Diagnostics;

public class GradientCheckTests
{
    public static TheoryData<string, string> ActivationLossPairs => new()
    {
        // hidden/output activation, loss
        { "identity", "mse" },
        { "step", "mse" },
        { "sigmoid", "mse" },
        { "sigmoid", "binary_crossentropy" },   // fused delta
        { "tanh", "mse" },
        { "tanh", "huber(delta=0.5)" },
        { "relu", "mse" },
        { "leaky_relu(alpha=0.1)", "mse" },
        { "elu(alpha=1)", "mse" },
        { "selu", "mse" },
        { "gelu", "mse" },
        { "silu", "mse" },
        { "softplus", "mse" },
        { "softplus", "mae" },
        { "softmax", "mse" },                  // softmax's own Jacobian
        { "softmax", "categorical_crossentropy" },        // fused delta
        { "softmax", "sparse_categorical_crossentropy" }, // fused delta, integer labels
    };

    [Theory]
    [MemberData(nameof(ActivationLossPairs))]
    public void Run_TwoHiddenLayers_RelativeErrorBelow1e6(string activation, string lossName)
    {
        IActivation f = Activation.FromName(activation);
        ILoss loss = Loss.FromName(lossName);
        Network<double> net = new NetworkBuilder<double>(4).WithSeed(11)
            .AddDense(6, f).AddDense(5, f).AddDense(3, f).Build();
        Matrix<double> x = TestData.Gaussian(7, 4, seed: 3);
        Matrix<double> y = Target(lossName, 7, 3);

        GradientCheckResult result = GradientCheck.Run(net, x, y, loss);

        result.Layers.Should().HaveCount(3);
        result.Layers.Should().OnlyContain(l => l.ParametersChecked > 0);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Theory]
    [InlineData("binary_crossentropy(from_logits=1)")]
    [InlineData("categorical_crossentropy(from_logits=1)")]
    [InlineData("sparse_categorical_crossentropy(from_logits=1)")]
    [InlineData("mae")]
    public void Run_LogitLossesOnIdentityOutput_RelativeErrorBelow1e6(string lossName)
    {
        ILoss loss = Loss.FromName(lossName);
        Network<double> net = new NetworkBuilder<double>(4).WithSeed(5)
            .AddDense(6, Activation.Tanh).AddDense(5, Activation.Gelu).AddDense(3).Build();
        GradientCheckResult result = GradientCheck.Run(net, TestData.Gaussian(7, 4, seed: 9), Target(lossName, 7, 3), loss);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void Run_WrongGradient_IsDetected()
    {
        // A deliberately wrong derivative (f' = 2 instead of 1 for the identity) must show up as a large error.
        Network<double> net = new NetworkBuilder<double>(3).WithSeed(1).AddDense(4, new WrongIdentity()).AddDense(2).Build();
        GradientCheckResult result = GradientCheck.Run(net, TestData.Gaussian(5, 3, 2), TestData.Gaussian(5, 2, 3), Loss.MeanSquaredError);
        result.MaxRelativeError.Should().BeGreaterThan(0.1);
        result.Passed().Should().BeFalse();
    }

    [Fact]
    public void Run_SampledParameters_ChecksAtMostTheLimitAndRestoresWeights()
    {
        Network<double> net = new NetworkBuilder<double>(10).WithSeed(4).AddDense(20, Activation.ReLU).AddDense(2).Build();
        double[] before = net.Parameters[0].Value.ToArray();
        GradientCheckResult result = GradientCheck.Run(net, TestData.Gaussian(6, 10, 1), TestData.Gaussian(6, 2, 2), Loss.MeanSquaredError,
            new GradientCheckOptions { MaxParametersPerTensor = 5, Seed = 3 });
        result.Layers[0].ParametersChecked.Should().Be(10); // 5 of W + 5 of b
        result.Passed().Should().BeTrue();
        net.Parameters[0].Value.ToArray().Should().Equal(before);
    }

    [Fact]
    public void Run_Null_Throws()
    {
        Action act = () => GradientCheck.Run<double>(null!, TestData.Gaussian(1, 1, 1), TestData.Gaussian(1, 1, 1), Loss.MeanSquaredError);
        act.Should().Throw<ArgumentNullException>().WithParameterName("network");
    }

    private static Matrix<double> Target(string lossName, int rows, int classes) => lossName switch
    {
        _ when lossName.StartsWith("sparse", StringComparison.Ordinal) => TestData.Labels(rows, classes, 8),
        _ when lossName.StartsWith("categorical", StringComparison.Ordinal) => TestData.OneHot(rows, classes, 8),
        _ when lossName.StartsWith("binary", StringComparison.Ordinal) => TestData.Uniform01(rows, classes, 8),
        _ => TestData.Gaussian(rows, classes, 8),
    };

    private sealed class WrongIdentity : IActivation
    {
        public string Name => "wrong_identity";

        public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
            input.CopyTo(output);

        public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            for (int i = 0; i < outputGradient.Length; i++)
            {
                inputGradient[i] = outputGradient[i] + outputGradient[i];
            }
        }
    }
}
