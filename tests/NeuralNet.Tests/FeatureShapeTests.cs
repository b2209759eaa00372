using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

public class FeatureShapeTests
{
    [Fact]
    public void FeatureShape_SizeFlatAndText()
    {
        var shape = new FeatureShape(3, 28, 28);
        shape.Size.Should().Be(2352);
        shape.IsFlat.Should().BeFalse();
        shape.ToString().Should().Be("3x28x28");
        FeatureShape.Flat(10).Should().Be(new FeatureShape(1, 1, 10));
        FeatureShape.Flat(10).IsFlat.Should().BeTrue();
        Action act = () => FeatureShape.Flat(0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
    }

    [Fact]
    public void Builder_PassesShapesAlong_AndSummaryShowsThem()
    {
        Network<double> net = new NetworkBuilder<double>(new FeatureShape(2, 3, 4)).WithSeed(1)
            .Add(shape => new ChannelScaleLayer<double>(shape))
            .AddDropout(0.1)
            .AddDense(5, Activation.ReLU)
            .Build();

        net.InputShape.Should().Be(new FeatureShape(2, 3, 4));
        net.InputSize.Should().Be(24);
        net.Layers[0].OutputShape.Should().Be(new FeatureShape(2, 3, 4));
        net.Layers[1].OutputShape.Should().Be(new FeatureShape(2, 3, 4), "dropout keeps the image shape");
        net.Layers[2].InputShape.Should().Be(FeatureShape.Flat(24), "a dense layer reads the channel-major row as a vector");
        net.OutputShape.Should().Be(FeatureShape.Flat(5));
        string summary = net.Summary();
        summary.Should().Contain("24 inputs (2x3x4)").And.Contain("2x3x4").And.Contain("1x1x5");
    }

    [Fact]
    public void Builder_ShapeMistake_NamesTheLayerAndBothShapes()
    {
        var builder = new NetworkBuilder<float>(new FeatureShape(2, 3, 4)).AddDense(24);
        Action act = () => builder.Add((FeatureShape _) => new ChannelScaleLayer<float>(new FeatureShape(2, 3, 4)));
        act.Should().Throw<ArgumentException>().WithParameterName("factory")
            .WithMessage("Layer 1 (test.channel_scale) expects input shape 2x3x4 (24 features) but receives 1x1x24 (24 features) from layer 0.*");
    }

    [Fact]
    public void Network_ShapesThatDoNotChain_AreRejected()
    {
        Action act = () => new Network<double>(new FeatureShape(1, 4, 6), [new ChannelScaleLayer<double>(new FeatureShape(2, 3, 4))]);
        act.Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("*expects input shape 2x3x4*receives 1x4x6*network input*");
    }

    [Fact]
    public void ChannelScaleLayer_GradientCheck()
    {
        // The shape machinery carries a layer defined outside the library through training maths.
        Network<double> net = new NetworkBuilder<double>(new FeatureShape(2, 2, 2)).WithSeed(3)
            .Add(shape => new ChannelScaleLayer<double>(shape)).AddDense(3, Activation.Softmax).Build();
        var random = new RandomSource(4);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(5, 8, (_, _) => random.NextGaussian());
        var y = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(5, 3, (i, j) => j == i % 3 ? 1 : 0);
        ((ChannelScaleLayer<double>)net.Layers[0]).Parameters[0].Value[1] = 0.7;
        NeuralNet.Diagnostics.GradientCheck.Run(net, x, y, NeuralNet.Losses.Loss.CategoricalCrossEntropy).MaxRelativeError.Should().BeLessThan(1e-6);
    }
}
