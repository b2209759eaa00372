using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

public sealed class ConvBuilderTests
{
    [Fact]
    public void Build_FashionCnn_ChainsShapesAndSummaryShowsThem()
    {
        Network<float> network = new NetworkBuilder<float>(new FeatureShape(1, 28, 28)).WithSeed(1)
            .AddConv2D(32, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(2)
            .AddConv2D(64, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(2)
            .AddFlatten()
            .AddDense(128, Activation.ReLU)
            .AddDense(10, Activation.Softmax)
            .Build();

        network.Layers.Select(l => l.OutputShape.ToString()).Should().Equal(
            "32x28x28", "32x14x14", "64x14x14", "64x7x7", "1x1x3136", "1x1x128", "1x1x10");
        string summary = network.Summary();

        // Parameters: conv1 1·3·3·32 + 32 = 320; conv2 32·3·3·64 + 64 = 18,496; dense 3136·128 + 128 = 401,536.
        summary.Should().Contain("conv2d(32, 3x3, same, relu)").And.Contain("32x28x28").And.Contain("320");
        summary.Should().Contain("18,496").And.Contain("max_pool2d(2x2)").And.Contain("64x7x7").And.Contain("401,536");
        ((Conv2DLayer<float>)network.Layers[2]).WeightParameter.Rows.Should().Be(32 * 9);
    }

    [Fact]
    public void AddConv2D_KernelLargerThanImage_ThrowsNamingLayerAndShapes()
    {
        var builder = new NetworkBuilder<double>(new FeatureShape(3, 8, 8)).AddConv2D(4, 3).AddMaxPool2D(2);

        FluentActions.Invoking(() => builder.AddConv2D(2, 5))
            .Should().Throw<ArgumentException>().WithParameterName("kernel")
            .WithMessage("Layer 2 cannot take the shape 4x3x3 it receives from layer 1*5x5 window*3x3 padded input*");
    }

    [Fact]
    public void AddConv2D_OnFlatInput_ExplainsHowToGiveAnImageShape()
    {
        FluentActions.Invoking(() => new NetworkBuilder<float>(784).AddConv2D(8, 3))
            .Should().Throw<ArgumentException>().WithParameterName("kernel")
            .WithMessage("Layer 0 cannot take the shape 1x1x784 it receives from the network input (a flat shape: start the builder with new NetworkBuilder<T>(new FeatureShape(*");
    }

    [Fact]
    public void Add_LayerBuiltForAnotherShape_ThrowsNamingBothShapes()
    {
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28));

        FluentActions.Invoking(() => builder.Add((FeatureShape _) => new Conv2DLayer<float>(new FeatureShape(3, 28, 28), 8, 3)))
            .Should().Throw<ArgumentException>().WithMessage("*conv2d*3x28x28*1x28x28*");
    }

    [Fact]
    public void AddMaxPool2D_BadArguments_ThrowWithParameterName()
    {
        var builder = new NetworkBuilder<float>(new FeatureShape(2, 6, 6));
        FluentActions.Invoking(() => builder.AddMaxPool2D(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("pool");
        FluentActions.Invoking(() => builder.AddAvgPool2D(2, stride: (1, 0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("stride");
        FluentActions.Invoking(() => builder.AddMaxPool2D(2, padding: Padding2D.Explicit(2, 0))).Should().Throw<ArgumentException>().WithParameterName("padding");
        FluentActions.Invoking(() => builder.AddConv2D(0, 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("filters");
        FluentActions.Invoking(() => builder.AddConv2D(2, 3, dilation: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("dilation");
    }
}
