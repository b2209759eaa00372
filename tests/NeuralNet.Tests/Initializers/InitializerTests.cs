using NeuralNet.Initializers;

namespace NeuralNet.Tests.Initializers;

public class InitializerTests
{
    [Theory]
    [InlineData("glorot_uniform", 2.0 / (400 + 600))]   // limit^2 / 3 = 6/(in+out)/3
    [InlineData("glorot_normal", 2.0 / (400 + 600))]
    [InlineData("he_uniform", 2.0 / 400)]
    [InlineData("he_normal", 2.0 / 400)]
    [InlineData("lecun_normal", 1.0 / 400)]
    public void Initialize_LargeMatrix_HasTheDocumentedVariance(string name, double variance)
    {
        double[] w = new double[400 * 600];
        Initializer.FromName(name).Initialize<double>(w, 400, 600, new RandomSource(1));
        double mean = w.Average();
        double var = w.Sum(v => (v - mean) * (v - mean)) / w.Length;
        mean.Should().BeApproximately(0, 0.01 * Math.Sqrt(variance) * 10);
        var.Should().BeApproximately(variance, variance * 0.02);
    }

    [Fact]
    public void GlorotUniform_StaysWithinItsLimit()
    {
        float[] w = new float[100 * 50];
        Initializer.GlorotUniform.Initialize<float>(w, 100, 50, new RandomSource(2));
        float limit = (float)Math.Sqrt(6.0 / 150);
        w.Should().OnlyContain(v => Math.Abs(v) <= limit);
    }

    [Fact]
    public void ZerosAndConstant_FillExactly()
    {
        double[] w = [1, 2, 3];
        Initializer.Zeros.Initialize<double>(w, 3, 1, new RandomSource(0));
        w.Should().Equal(0, 0, 0);
        Initializer.Constant(0.25).Initialize<double>(w, 3, 1, new RandomSource(0));
        w.Should().Equal(0.25, 0.25, 0.25);
        Initializer.FromName(Initializer.Constant(0.25).Name).Should().BeOfType<ConstantInitializer>().Which.Value.Should().Be(0.25);
    }

    [Fact]
    public void FromName_Unknown_ListsKnownNames()
    {
        Action act = () => Initializer.FromName("orthogonal");
        act.Should().Throw<ArgumentException>().WithParameterName("name").WithMessage("*orthogonal*he_normal*");
    }
}
