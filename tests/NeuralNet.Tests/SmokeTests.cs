using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;

namespace NeuralNet.Tests;

public class SmokeTests
{
    [Fact]
    public void Predict_BuiltNetwork_ReturnsOneRowPerSample()
    {
        Network<double> net = new NetworkBuilder<double>(3).WithSeed(1).AddDense(4, Activation.Tanh).AddDense(2, Activation.Softmax).Build();
        Matrix<double> x = Matrix<double>.Build.Dense(5, 3, (i, j) => i - j);
        Matrix<double> y = net.Predict(x);
        y.RowCount.Should().Be(5);
        y.ColumnCount.Should().Be(2);
        for (int i = 0; i < 5; i++)
        {
            (y[i, 0] + y[i, 1]).Should().BeApproximately(1.0, 1e-12);
        }
        double loss = net.ComputeGradients(x, Matrix<double>.Build.Dense(5, 1, (i, _) => i % 2), Loss.SparseCategoricalCrossEntropy);
        double.IsFinite(loss).Should().BeTrue();
    }
}
