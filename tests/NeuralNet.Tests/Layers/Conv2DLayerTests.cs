using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Layers;

public sealed class Conv2DLayerTests
{
    /// <summary>x[i, j] = 4i + j + 1 on a 1x4x4 image, row-major.</summary>
    private static readonly double[] Image = Enumerable.Range(1, 16).Select(v => (double)v).ToArray();

    [Fact]
    public void Forward_FourByFourImageTwoByTwoKernel_MatchesHandComputation()
    {
        // K = [[1, 2], [3, 4]], b = 0.5, valid, stride 1: y[i, j] = x[i, j] + 2x[i, j+1] + 3x[i+1, j] + 4x[i+1, j+1] + 0.5
        // = (1+2+3+4)(4i + j) + (1·1 + 2·2 + 3·5 + 4·6) + 0.5 = 10(4i + j) + 44.5.
        var layer = new Conv2DLayer<double>(new FeatureShape(1, 4, 4), filters: 1, kernel: 2);
        new double[] { 1, 2, 3, 4 }.CopyTo(layer.WeightParameter.Value);
        layer.BiasParameter!.Value[0] = 0.5;

        double[] y = layer.Forward(Image, 1, training: true).ToArray();

        layer.OutputShape.Should().Be(new FeatureShape(1, 3, 3));
        y.Should().Equal(44.5, 54.5, 64.5, 84.5, 94.5, 104.5, 124.5, 134.5, 144.5);
    }

    [Fact]
    public void Backward_FourByFourImageTwoByTwoKernel_MatchesHandComputation()
    {
        // dY = 1 everywhere. dW[ky, kx] = Σ over the 3x3 block at (ky, kx) of x = 54 + 9(4ky + kx) (the block at (0, 0)
        // sums 9·1 + 4·3·3 + 3·3 = 54; moving it adds 4ky + kx to each of its 9 values). db = 9.
        // dX[a, b] = Σ of K[ky, kx] over the taps whose output (a - ky, b - kx) exists: K00 at the top-left corner,
        // K00 + K01 = 3 along the top edge, all four (10) inside, and so on.
        var layer = new Conv2DLayer<double>(new FeatureShape(1, 4, 4), filters: 1, kernel: 2);
        new double[] { 1, 2, 3, 4 }.CopyTo(layer.WeightParameter.Value);
        layer.Forward(Image, 1, training: true);

        double[] dx = layer.Backward(Image, Enumerable.Repeat(1.0, 9).ToArray(), 1, computeInputGradient: true).ToArray();

        layer.WeightParameter.Gradient.ToArray().Should().Equal(54, 63, 90, 99);
        layer.BiasParameter!.Gradient[0].Should().Be(9);
        dx.Should().Equal(
            1, 3, 3, 2,
            4, 10, 10, 6,
            4, 10, 10, 6,
            3, 7, 7, 4);
    }

    [Fact]
    public void Forward_TwoSamplesTwoFilters_UsesColumnMajorBatchAndPyTorchWeightOrder()
    {
        // Sample 1 is x, sample 2 is -x. Filter 0 is K above; filter 1 is [[0, 0], [0, 1]] (picks x[i+1, j+1]).
        // W memory = PyTorch weight [F=2, C=1, 2, 2] row-major = [1, 2, 3, 4, 0, 0, 0, 1].
        var layer = new Conv2DLayer<double>(new FeatureShape(1, 4, 4), filters: 2, kernel: 2, useBias: false);
        new double[] { 1, 2, 3, 4, 0, 0, 0, 1 }.CopyTo(layer.WeightParameter.Value);
        var x = new double[32];
        for (int f = 0; f < 16; f++)
        {
            x[2 * f] = Image[f];
            x[2 * f + 1] = -Image[f];
        }

        double[] y = layer.Forward(x, 2, training: true).ToArray();

        // Output feature (f, i, j) of sample b sits at b + 2·(9f + 3i + j).
        y[0].Should().Be(44);
        y[1].Should().Be(-44);
        y[2 * (9 + 0)].Should().Be(6);      // filter 1, (0, 0): x[1, 1] = 6
        y[2 * (9 + 8) + 1].Should().Be(-16); // filter 1, (2, 2), sample 2: -x[3, 3]
    }

    [Theory]
    [InlineData(2, 5, 5, 3, 3, 3, 1, 1, "valid", 1, 1, true)]
    [InlineData(2, 6, 5, 2, 3, 3, 2, 2, "same", 1, 1, true)]
    [InlineData(3, 6, 7, 2, 2, 3, 1, 2, "explicit", 2, 2, true)]
    [InlineData(2, 7, 6, 3, 3, 2, 2, 1, "valid", 1, 2, false)]
    [InlineData(4, 3, 3, 3, 1, 1, 1, 1, "valid", 1, 1, true)]
    [InlineData(2, 5, 5, 2, 3, 3, 1, 1, "same", 2, 2, true)]
    public void Backward_StridePaddingDilationVariants_MatchesCentralDifferences(
        int channels, int height, int width, int filters, int kh, int kw, int sh, int sw, string padding, int dh, int dw, bool bias)
    {
        Padding2D pad = padding switch
        {
            "same" => Padding2D.Same,
            "explicit" => Padding2D.Explicit(1, 2, 0, 1),
            _ => Padding2D.Valid,
        };
        var layer = new Conv2DLayer<double>(new FeatureShape(channels, height, width), filters, (kh, kw), (sh, sw), pad, (dh, dw), Activation.Tanh, bias);

        LayerChecks.WorstRelativeError(layer, batch: 3, seed: 11).Should().BeLessThan(1e-6);
    }

    [Theory]
    [InlineData(5, 3, 1, 1, 5)]  // same, stride 1: ceil(5/1)
    [InlineData(5, 3, 2, 1, 3)]  // same, stride 2: ceil(5/2)
    [InlineData(6, 3, 2, 1, 3)]  // out = 3, total padding max((3 - 1)·2 + 3 - 6, 0) = 1: top 0, bottom 1
    [InlineData(7, 3, 1, 3, 7)]  // dilation 3: span 7, padding 3 + 3
    public void OutputShape_Same_IsCeilOfInputOverStride(int size, int kernel, int stride, int dilation, int expected)
    {
        var layer = new Conv2DLayer<float>(new FeatureShape(1, size, size), 4, kernel, stride, Padding2D.Same, dilation);

        layer.OutputShape.Should().Be(new FeatureShape(4, expected, expected));
    }

    [Fact]
    public void OutputShape_ValidStrideDilation_FollowsFloorFormula()
    {
        // OH = floor((10 + 1 + 2 - (3 - 1)·2 - 1) / 2) + 1 = floor(8 / 2) + 1 = 5; OW = floor((9 - 4) / 3) + 1 = 2.
        var layer = new Conv2DLayer<float>(new FeatureShape(3, 10, 9), 8, (3, 4), (2, 3), Padding2D.Explicit(1, 2, 0, 0), (2, 1));

        layer.OutputShape.Should().Be(new FeatureShape(8, 5, 2));
        layer.WeightParameter.Rows.Should().Be(3 * 3 * 4);
        layer.WeightParameter.Columns.Should().Be(8);
    }

    [Fact]
    public void Initialize_HeNormal_UsesFanInOfChannelsTimesKernel()
    {
        // He normal: std = sqrt(2 / fanIn), fanIn = C·KH·KW = 16·3·3 = 144, so std = 0.1179; 64·144 = 9216 draws.
        var layer = new Conv2DLayer<double>(new FeatureShape(16, 8, 8), 64, 3, activation: Activation.ReLU);
        layer.Initialize(new RandomSource(5));
        double[] w = layer.WeightParameter.Value.ToArray();
        double std = Math.Sqrt(w.Select(v => v * v).Average());

        std.Should().BeApproximately(Math.Sqrt(2.0 / 144), 0.005);
    }

    [Fact]
    public void Infer_MatchesTrainingForward()
    {
        var layer = new Conv2DLayer<double>(new FeatureShape(3, 9, 8), 5, 3, 2, Padding2D.Same, activation: Activation.ReLU);
        var random = new RandomSource(3);
        layer.Initialize(random);
        double[] x = LayerChecks.Gaussian(4 * layer.InputSize, random);
        var inferred = new double[4 * layer.OutputSize];

        double[] trained = layer.Forward(x, 4, training: true).ToArray();
        layer.Infer(x, inferred, 4);

        inferred.Should().BeEquivalentTo(trained, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void Constructor_BadArguments_ThrowWithParameterName()
    {
        var shape = new FeatureShape(1, 4, 4);
        FluentActions.Invoking(() => new Conv2DLayer<float>(shape, 0, 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("filters");
        FluentActions.Invoking(() => new Conv2DLayer<float>(shape, 2, (0, 3))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kernel");
        FluentActions.Invoking(() => new Conv2DLayer<float>(shape, 2, 3, stride: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("stride");
        FluentActions.Invoking(() => new Conv2DLayer<float>(shape, 2, 3, dilation: (1, -1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("dilation");
        FluentActions.Invoking(() => new Conv2DLayer<float>(new FeatureShape(0, 4, 4), 2, 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputShape");
        FluentActions.Invoking(() => Padding2D.Explicit(-1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("top");
        FluentActions.Invoking(() => new Conv2DLayer<float>(shape, 2, 5)).Should().Throw<ArgumentException>().WithParameterName("inputShape")
            .WithMessage("*5x5 window*4x4 padded input*");
    }
}
