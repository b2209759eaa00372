using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Layers;

public class BatchNormLayerTests
{
    [Fact]
    public void GradientCheck_DenseBatchNormDense_PassesInDouble()
    {
        // The first dense layer's gradient flows through batch norm's input gradient, so this checks dx as well as dγ, dβ.
        Network<double> network = new NetworkBuilder<double>(3).WithSeed(4).AddDense(5, Activation.Tanh).AddBatchNorm(0.9, 1e-3).AddDense(2).Build();
        var bn = (BatchNormLayer<double>)network.Layers[1];
        for (int j = 0; j < 5; j++)
        {
            bn.Parameters[0].Value[j] = 0.5 + 0.3 * j; // γ away from 1 and β away from 0, so their gradients matter
            bn.Parameters[1].Value[j] = 0.1 * j - 0.2;
        }

        var random = new RandomSource(6);
        Matrix<double> x = Matrix<double>.Build.Dense(8, 3, (_, _) => random.NextGaussian());
        Matrix<double> y = Matrix<double>.Build.Dense(8, 2, (_, _) => random.NextGaussian());

        GradientCheckResult result = GradientCheck.Run(network, x, y, Loss.MeanSquaredError);

        result.Layers.Should().HaveCount(3);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void Forward_Training_NormalisesEachColumnAndUpdatesRunningStatistics()
    {
        // Column [1, 2, 3, 6]: μ = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5; with ε = 0.5, √4 = 2 and x̂ = [-1, -0.5, 0, 1.5].
        // Momentum 0.75: running mean = 0.75*0 + 0.25*3 = 0.75, running variance = 0.75*1 + 0.25*3.5 = 1.625.
        var layer = new BatchNormLayer<double>(1, momentum: 0.75, epsilon: 0.5);
        double[] output = layer.Forward([1.0, 2.0, 3.0, 6.0], 4, training: true).ToArray();
        output.Should().Equal(-1.0, -0.5, 0.0, 1.5);
        layer.Buffers[0].Value[0].Should().Be(0.75);
        layer.Buffers[1].Value[0].Should().Be(1.625);

        // Inference uses the running statistics: (3.75 - 0.75)/√(1.625 + 0.5) = 3/√2.125.
        var inferred = new double[1];
        layer.Infer([3.75], inferred, 1);
        inferred[0].Should().BeApproximately(3 / Math.Sqrt(2.125), 1e-15);
    }

    [Fact]
    public void Constructor_BadMomentum_Throws()
    {
        FluentActions.Invoking(() => new BatchNormLayer<double>(2, momentum: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("momentum");
        FluentActions.Invoking(() => new NetworkBuilder<float>(2).AddBatchNorm(epsilon: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon");
    }
}
