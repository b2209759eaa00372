using NeuralNet.Activations;
using NeuralNet.Losses;

using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

public sealed class NetworkAllocationTests
{
    [Theory]
    [InlineData("softmax", "categorical_crossentropy")]
    [InlineData("identity", "mse")]
    public void ComputeGradients_AfterWarmUp_AllocatesNothing(string lastActivation, string loss)
    {
        // 20-32-16-4 with ReLU hidden layers: every product goes through the packed GEMM (32*16*16 > 4096 multiply-adds).
        const int batch = 16;
        Network<float> network = new NetworkBuilder<float>(20).WithSeed(4)
            .AddDense(32, Activation.ReLU).AddDense(16, Activation.ReLU).AddDense(4, Activation.FromName(lastActivation)).Build();
        ILoss lossFunction = Loss.FromName(loss);
        float[] x = new float[batch * 20], y = new float[batch * 4];
        var random = new RandomSource(9);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextGaussian();
        }

        for (int r = 0; r < batch; r++)
        {
            y[r + (r % 4) * batch] = 1f;
        }

        network.ComputeGradients(x, y, batch, lossFunction);
        network.ComputeGradients(x, y, batch, lossFunction);

        Allocations.LeastPerRound(() => network.ComputeGradients(x, y, batch, lossFunction)).Should().Be(0);
    }

    [Fact]
    public void Predict_Span_AfterWarmUp_AllocatesNothing()
    {
        // The reference 784-256-128-10 network on one sample.
        Network<float> network = new NetworkBuilder<float>(784).WithSeed(2)
            .AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(10, Activation.Softmax).Build();
        float[] x = new float[784], output = new float[10];
        x.AsSpan().Fill(0.5f);
        network.Predict(x, output);

        Allocations.LeastPerRound(() => network.Predict(x, output)).Should().Be(0);
        output.Sum().Should().BeApproximately(1f, 1e-5f);
    }
}
