using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

public class DropoutLayerTests
{
    [Fact]
    public void Predict_NetworkWithDropout_IsDeterministicAndSkipsDropout()
    {
        Network<double> network = new NetworkBuilder<double>(4).WithSeed(5).AddDense(8, Activation.Tanh).AddDropout(0.5).AddDense(2).Build();
        Matrix<double> x = Matrix<double>.Build.Dense(6, 4, (i, j) => 0.1 * i - 0.2 * j);

        double[] first = network.Predict(x).ToColumnMajorArray(), second = network.Predict(x).ToColumnMajorArray();

        second.Should().Equal(first);

        // The same as running the two dense layers alone.
        var hidden = new double[6 * 8];
        var output = new double[6 * 2];
        network.Layers[0].Infer(x.ToColumnMajorArray(), hidden, 6);
        network.Layers[2].Infer(hidden, output, 6);
        first.Should().Equal(output);

        // Training mode does drop: its output differs.
        network.ComputeGradients(x, Matrix<double>.Build.Dense(6, 2), NeuralNet.Losses.Loss.MeanSquaredError);
        network.Layers[2].LastOutput(6).ToArray().Should().NotEqual(output);
    }

    [Fact]
    public void Forward_Training_ZeroesOrScalesEachValueAndBackwardUsesSameMask()
    {
        // rate 0.25: kept values are scaled by 1/(1 - 0.25) = 4/3, dropped ones are 0; backward applies the same mask.
        var layer = new DropoutLayer<double>(50, 0.25);
        layer.Initialize(new RandomSource(1));
        double[] input = Enumerable.Repeat(3.0, 200).ToArray();
        double[] output = layer.Forward(input, 4, training: true).ToArray();
        output.Should().OnlyContain(v => v == 0 || Math.Abs(v - 4.0) < 1e-12);
        output.Count(v => v == 0).Should().BeInRange(25, 75); // 200 draws at p = 0.25: mean 50, sd 6.1

        double[] gradient = Enumerable.Repeat(1.0, 200).ToArray();
        double[] inputGradient = layer.Backward(input, gradient, 4, computeInputGradient: true).ToArray();
        for (int i = 0; i < 200; i++)
        {
            inputGradient[i].Should().Be(output[i] / 3.0);
        }
    }

    [Fact]
    public void Forward_SameSeed_DrawsSameMask()
    {
        double[] Mask(long seed)
        {
            var layer = new DropoutLayer<float>(10, 0.5);
            layer.Initialize(new RandomSource(seed));
            return layer.Forward(Enumerable.Repeat(1f, 30).ToArray(), 3, training: true).ToArray().Select(v => (double)v).ToArray();
        }

        Mask(8).Should().Equal(Mask(8));
        Mask(8).Should().NotEqual(Mask(9));
    }

    [Fact]
    public void Constructor_RateOne_Throws()
    {
        FluentActions.Invoking(() => new DropoutLayer<double>(3, 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
        FluentActions.Invoking(() => new NetworkBuilder<double>(3).AddDropout(-0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
    }
}
