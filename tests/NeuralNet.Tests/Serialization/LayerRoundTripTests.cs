using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Serialization;

/// <summary>Every layer kind survives a save and load, in float and double, with bit-identical predictions.</summary>
public class LayerRoundTripTests
{
    private static void RoundTrip<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var dir = new TempDirectory();
        Network<T> net = new NetworkBuilder<T>(4).WithSeed(3)
            .AddDense(8, Activation.ReLU)
            .AddBatchNorm(momentum: 0.9, epsilon: 1e-4)
            .AddDropout(0.25)
            .AddDense(3, Activation.Softmax)
            .Build();
        Matrix<T> x = Matrix<T>.Build.Dense(12, 4, (i, j) => T.CreateChecked(Math.Cos(i + 2 * j)));
        Matrix<T> y = Matrix<T>.Build.Dense(12, 1, (i, _) => T.CreateChecked(i % 3));

        // One training step moves gamma, beta and the running statistics away from their initial values.
        net.ComputeGradients(x, y, Loss.SparseCategoricalCrossEntropy);
        foreach (Parameter<T> p in net.Parameters)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] -= T.CreateChecked(0.1) * p.Gradient[i];
            }
        }

        ModelFile.Save(dir.File("m.nnm"), net);
        Network<T> loaded = ModelFile.Load<T>(dir.File("m.nnm")).Network;

        loaded.Layers.Select(l => l.Describe()).Should().Equal(net.Layers.Select(l => l.Describe()));
        var bn = (BatchNormLayer<T>)loaded.Layers[1];
        bn.Buffers[0].Value.ToArray().Should().Equal(net.Layers[1].Buffers[0].Value.ToArray());
        bn.Buffers[0].Value.ToArray().Should().NotEqual(new T[8]);
        ((DropoutLayer<T>)loaded.Layers[2]).Rate.Should().Be(0.25);
        loaded.Predict(x).ToColumnMajorArray().Should().Equal(net.Predict(x).ToColumnMajorArray());
    }

    [Fact]
    public void Load_NegativeRunningVariance_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        Network<double> net = new NetworkBuilder<double>(2).WithSeed(1).AddBatchNorm().AddDense(1).Build();
        net.Layers[0].Buffers[1].Value[1] = -0.5;
        ModelFile.Save(dir.File("m.nnm"), net);

        Action act = () => ModelFile.Load<double>(dir.File("m.nnm"));

        act.Should().Throw<InvalidDataFileException>().WithMessage("*layer 0 (batchnorm): running_variance[1] is -0.5*");
    }

    [Fact]
    public void Load_DenseBatchNormDropoutFloat_PredictsBitIdentically() => RoundTrip<float>();

    [Fact]
    public void Load_DenseBatchNormDropoutDouble_PredictsBitIdentically() => RoundTrip<double>();
}
