using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Layers;

public sealed class PoolingLayerTests
{
    /// <summary>x[i, j] = 4i + j + 1 on a 1x4x4 image, row-major.</summary>
    private static readonly double[] Image = Enumerable.Range(1, 16).Select(v => (double)v).ToArray();

    [Fact]
    public void MaxPool_FourByFourTwoByTwo_ForwardAndBackwardByHand()
    {
        // Each 2x2 block's maximum is its bottom-right value: 6, 8, 14, 16. Backward sends dY = [1, 2, 3, 4] there.
        var layer = new MaxPool2DLayer<double>(new FeatureShape(1, 4, 4), 2);

        layer.Forward(Image, 1, training: true).ToArray().Should().Equal(6, 8, 14, 16);
        layer.Backward(Image, [1.0, 2, 3, 4], 1, computeInputGradient: true).ToArray().Should().Equal(
            0, 0, 0, 0,
            0, 1, 0, 2,
            0, 0, 0, 0,
            0, 3, 0, 4);
    }

    [Fact]
    public void MaxPool_Tie_SendsGradientToFirstTapInScanOrder()
    {
        // A 2x2 window of equal values: PyTorch's argmax is the first, top-left.
        var layer = new MaxPool2DLayer<double>(new FeatureShape(1, 2, 2), 2);
        layer.Forward([5.0, 5, 5, 5], 1, training: true);

        layer.Backward([5.0, 5, 5, 5], [7.0], 1, computeInputGradient: true).ToArray().Should().Equal(7, 0, 0, 0);
    }

    [Fact]
    public void AvgPool_FourByFourTwoByTwo_ForwardAndBackwardByHand()
    {
        // Block means: (1+2+5+6)/4 = 3.5, 5.5, 11.5, 13.5. Backward: each tap gets dY/4.
        var layer = new AvgPool2DLayer<double>(new FeatureShape(1, 4, 4), 2);

        layer.Forward(Image, 1, training: true).ToArray().Should().Equal(3.5, 5.5, 11.5, 13.5);
        layer.Backward(Image, [4.0, 8, 12, 16], 1, computeInputGradient: true).ToArray().Should().Equal(
            1, 1, 2, 2,
            1, 1, 2, 2,
            3, 3, 4, 4,
            3, 3, 4, 4);
    }

    [Fact]
    public void AvgPool_PaddedCorner_DividesByPixelsInsideOnly()
    {
        // 3x3 windows, stride 2, padding 1 on a 4x4 image: output (0, 0) covers x[0..1, 0..1] = 1, 2, 5, 6 plus 5 padding
        // taps, so it is (1 + 2 + 5 + 6) / 4 = 3.5, not 14 / 9.
        var layer = new AvgPool2DLayer<double>(new FeatureShape(1, 4, 4), 3, 2, Padding2D.Explicit(1, 1));

        layer.OutputShape.Should().Be(new FeatureShape(1, 2, 2));
        layer.Forward(Image, 1, training: true)[0].Should().Be(3.5);
    }

    [Fact]
    public void GlobalAveragePool_MeanOfEachChannel()
    {
        // Channel 0 is 1..16 (mean 8.5), channel 1 is its negative; dY = [16, 32] spreads 1 and 2 to every pixel.
        var layer = new GlobalAveragePoolLayer<double>(new FeatureShape(2, 4, 4));
        double[] x = [.. Image, .. Image.Select(v => -v)];

        layer.OutputShape.Should().Be(FeatureShape.Flat(2));
        layer.Forward(x, 1, training: true).ToArray().Should().Equal(8.5, -8.5);
        layer.Backward(x, [16.0, 32], 1, computeInputGradient: true).ToArray().Should().Equal(
            [.. Enumerable.Repeat(1.0, 16), .. Enumerable.Repeat(2.0, 16)]);
    }

    [Fact]
    public void Flatten_KeepsValuesAndOrder()
    {
        var layer = new FlattenLayer<double>(new FeatureShape(2, 2, 3));
        double[] x = Enumerable.Range(0, 24).Select(v => (double)v).ToArray();

        layer.OutputShape.Should().Be(FeatureShape.Flat(12));
        layer.Forward(x, 2, training: true).ToArray().Should().Equal(x);
        layer.Backward(x, x, 2, computeInputGradient: true).ToArray().Should().Equal(x);
    }

    public static TheoryData<string, int, int, int, int, int, string> PoolVariants => new()
    {
        { "max", 2, 6, 6, 2, 2, "valid" },
        { "max", 3, 7, 5, 3, 2, "same" },
        { "max", 2, 5, 6, 3, 1, "explicit" },
        { "avg", 2, 6, 6, 2, 2, "valid" },
        { "avg", 3, 7, 5, 3, 2, "same" },
        { "avg", 2, 5, 6, 3, 1, "explicit" },
    };

    [Theory]
    [MemberData(nameof(PoolVariants))]
    public void Backward_PoolVariants_MatchesCentralDifferences(string kind, int channels, int height, int width, int pool, int stride, string padding)
    {
        Padding2D pad = padding switch
        {
            "same" => Padding2D.Same,
            "explicit" => Padding2D.Explicit(1, 2, 0, 1),
            _ => Padding2D.Valid,
        };
        var shape = new FeatureShape(channels, height, width);
        Layer<double> layer = kind == "max"
            ? new MaxPool2DLayer<double>(shape, pool, stride, pad)
            : new AvgPool2DLayer<double>(shape, pool, stride, pad);

        LayerChecks.WorstRelativeError(layer, batch: 3, seed: 21).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Backward_GlobalAveragePoolAndFlatten_MatchCentralDifferences()
    {
        LayerChecks.WorstRelativeError(new GlobalAveragePoolLayer<double>(new FeatureShape(3, 4, 5)), 3, 31).Should().BeLessThan(1e-6);
        LayerChecks.WorstRelativeError(new FlattenLayer<double>(new FeatureShape(3, 4, 5)), 3, 32).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Constructor_PaddingCoveringWholeWindow_Throws()
    {
        var shape = new FeatureShape(1, 6, 6);
        FluentActions.Invoking(() => new MaxPool2DLayer<float>(shape, 2, padding: Padding2D.Explicit(2, 0)))
            .Should().Throw<ArgumentException>().WithParameterName("padding");
        FluentActions.Invoking(() => new AvgPool2DLayer<float>(shape, (2, 0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("pool");
        FluentActions.Invoking(() => new MaxPool2DLayer<float>(shape, 7)).Should().Throw<ArgumentException>().WithParameterName("inputShape");
    }
}
