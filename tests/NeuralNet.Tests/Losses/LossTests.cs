using NeuralNet.Losses;

namespace NeuralNet.Tests.Losses;

public class LossTests
{
    // One sample, two outputs: p = [0.5, 2], y = [1, 0]; r = p - y = [-0.5, 2]; B K = 2.
    private static readonly double[] P = [0.5, 2.0];
    private static readonly double[] Y = [1.0, 0.0];

    private static (double Loss, double[] Gradient) Evaluate(ILoss loss, double[] p, double[] y, int batch)
    {
        double[] g = new double[p.Length];
        loss.Gradient<double>(p, y, g, batch);
        return (loss.Compute<double>(p, y, batch), g);
    }

    [Fact]
    public void MeanSquaredError_HandComputed()
    {
        // L = (0.25 + 4) / 2 = 2.125; dL/dp = 2 r / 2 = [-0.5, 2]
        (double l, double[] g) = Evaluate(Loss.MeanSquaredError, P, Y, 1);
        l.Should().BeApproximately(2.125, 1e-15);
        g.Should().Equal(-0.5, 2.0);
    }

    [Fact]
    public void MeanAbsoluteError_HandComputed()
    {
        // L = (0.5 + 2) / 2 = 1.25; dL/dp = sign(r) / 2 = [-0.5, 0.5]
        (double l, double[] g) = Evaluate(Loss.MeanAbsoluteError, P, Y, 1);
        l.Should().BeApproximately(1.25, 1e-15);
        g.Should().Equal(-0.5, 0.5);
    }

    [Fact]
    public void Huber_HandComputed()
    {
        // delta = 1: |r| = 0.5 -> 0.125; |r| = 2 -> 1 (2 - 0.5) = 1.5; L = 1.625 / 2 = 0.8125; dL/dp = clamp(r) / 2 = [-0.25, 0.5]
        (double l, double[] g) = Evaluate(Loss.Huber(1.0), P, Y, 1);
        l.Should().BeApproximately(0.8125, 1e-15);
        g.Should().Equal(-0.25, 0.5);
    }

    [Fact]
    public void BinaryCrossEntropy_HandComputed()
    {
        // p = [0.8, 0.4], y = [1, 0]: L = -(ln 0.8 + ln 0.6) / 2 = 0.36698...;
        // dL/dp = (p - y) / (p (1 - p)) / 2 = [-0.2/0.16, 0.4/0.24] / 2 = [-0.625, 0.8333...]
        (double l, double[] g) = Evaluate(Loss.BinaryCrossEntropy, [0.8, 0.4], Y, 1);
        l.Should().BeApproximately(-(Math.Log(0.8) + Math.Log(0.6)) / 2, 1e-15);
        g[0].Should().BeApproximately(-0.625, 1e-12);
        g[1].Should().BeApproximately(0.4 / 0.24 / 2, 1e-12);
    }

    [Fact]
    public void BinaryCrossEntropy_FromLogits_MatchesProbabilityForm()
    {
        // z = ln 4 gives sigma = 0.8; z = ln(2/3) gives sigma = 0.4. dL/dz = (sigma - y) / 2 = [-0.1, 0.2].
        double[] z = [Math.Log(4), Math.Log(2.0 / 3)];
        (double l, double[] g) = Evaluate(Loss.BinaryCrossEntropyFromLogits, z, Y, 1);
        l.Should().BeApproximately(-(Math.Log(0.8) + Math.Log(0.6)) / 2, 1e-12);
        g[0].Should().BeApproximately(-0.1, 1e-12);
        g[1].Should().BeApproximately(0.2, 1e-12);
    }

    [Fact]
    public void CategoricalCrossEntropy_HandComputed()
    {
        // Two samples, two classes, column-major p = [[0.25, 0.75], [0.5, 0.5]] -> [0.25, 0.5, 0.75, 0.5];
        // y one-hot classes 1 and 0 -> [0, 1, 1, 0]. L = -(ln 0.75 + ln 0.5) / 2; dL/dp = -y / (2 p).
        double[] p = [0.25, 0.5, 0.75, 0.5];
        double[] y = [0, 1, 1, 0];
        (double l, double[] g) = Evaluate(Loss.CategoricalCrossEntropy, p, y, 2);
        l.Should().BeApproximately(-(Math.Log(0.75) + Math.Log(0.5)) / 2, 1e-15);
        g.Should().Equal([0, -1.0, -2.0 / 3, 0], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void SparseCategoricalCrossEntropy_FromLogits_HandComputed()
    {
        // One sample, logits [0, ln 3] -> softmax [1/4, 3/4], label 1: L = -ln(3/4); dL/dz = [1/4, 3/4 - 1].
        (double l, double[] g) = Evaluate(Loss.SparseCategoricalCrossEntropyFromLogits, [0, Math.Log(3)], [1.0], 1);
        l.Should().BeApproximately(-Math.Log(0.75), 1e-12);
        g[0].Should().BeApproximately(0.25, 1e-12);
        g[1].Should().BeApproximately(-0.25, 1e-12);
    }

    [Fact]
    public void CategoricalCrossEntropy_LogitsOfTenThousand_StayFinite()
    {
        // Logits [1e4, -1e4] with the true class second: L = lse - z_1 = 1e4 - (-1e4) = 2e4 exactly, gradient [1, -1].
        var loss = (ILogitLoss)Loss.CategoricalCrossEntropy;
        double[] z = [1e4, -1e4];
        double[] y = [0, 1];
        double l = loss.ComputeFromLogits<double>(z, y, 1);
        l.Should().Be(2e4);
        double[] a = new double[2];
        NeuralNet.Activations.Activation.Softmax.Forward<double>(z, a, 1);
        double[] g = new double[2];
        loss.GradientFromLogits<double>(a, y, g, 1);
        g.Should().Equal(1.0, -1.0);

        float lf = loss.ComputeFromLogits<float>([1e4f, -1e4f], [0f, 1f], 1);
        float.IsFinite(lf).Should().BeTrue();
        lf.Should().Be(2e4f);
    }

    [Fact]
    public void SparseCategoricalCrossEntropy_BadLabel_NamesRowAndValue()
    {
        Action act = () => Loss.SparseCategoricalCrossEntropy.Compute<double>([0.5, 0.5], [2.0], 1);
        act.Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*row 0*2*[0, 2)*");
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("mae")]
    [InlineData("huber")]
    [InlineData("binary_crossentropy")]
    [InlineData("categorical_crossentropy")]
    [InlineData("sparse_categorical_crossentropy")]
    public void Gradient_MatchesCentralDifference(string name)
    {
        // Three samples, three outputs; probabilities in (0.05, 0.95) so every loss is smooth there.
        ILoss loss = Loss.FromName(name);
        double[] p = [0.2, 0.7, 0.4, 0.1, 0.15, 0.3, 0.6, 0.9, 0.33];
        double[] y = loss.ExpectedTargetColumns(3) == 1 ? [2.0, 0.0, 1.0] : [0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0];
        double[] g = new double[p.Length];
        loss.Gradient<double>(p, y, g, 3);
        const double eps = 1e-6;
        for (int i = 0; i < p.Length; i++)
        {
            double[] plus = (double[])p.Clone(), minus = (double[])p.Clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric = (loss.Compute<double>(plus, y, 3) - loss.Compute<double>(minus, y, 3)) / (2 * eps);
            g[i].Should().BeApproximately(numeric, 1e-7 * Math.Max(1, Math.Abs(numeric)), $"{name} element {i}");
        }
    }

    [Fact]
    public void FromName_Unknown_ListsKnownNames()
    {
        Action act = () => Loss.FromName("hinge");
        act.Should().Throw<ArgumentException>().WithParameterName("name").WithMessage("*hinge*mse*");
    }

    [Fact]
    public void Huber_NonPositiveDelta_Throws()
    {
        Action act = () => Loss.Huber(0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta").WithMessage("*delta=0*");
    }

    [Fact]
    public void FromName_ParameterisedName_RoundTrips()
    {
        Loss.FromName(Loss.Huber(2.5).Name).Should().BeOfType<Huber>().Which.Delta.Should().Be(2.5);
        Loss.FromName(Loss.CategoricalCrossEntropyFromLogits.Name).Should().BeOfType<CategoricalCrossEntropy>().Which.FromLogits.Should().BeTrue();
    }
}
