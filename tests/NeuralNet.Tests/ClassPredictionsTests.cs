using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet.Tests;

public class ClassPredictionsTests
{
    /// <summary>2 -> 3 with W = [[1, 0, 0], [0, 1, 0]], b = 0: z = (x0, x1, 0).</summary>
    private static Network<double> ThreeClasses(IActivation last)
    {
        Network<double> network = new NetworkBuilder<double>(2).WithSeed(1).AddDense(3, last).Build();
        network.ParameterSet.SetValues(new double[network.ParameterSet.Length]);
        var dense = (DenseLayer<double>)network.Layers[0];
        dense.Weights[0, 0] = 1;
        dense.Weights[1, 1] = 1;
        return network;
    }

    /// <summary>1 -> 1 with W = 1, b = 0.</summary>
    private static Network<double> OneOutput(IActivation last)
    {
        Network<double> network = new NetworkBuilder<double>(1).WithSeed(1).AddDense(1, last).Build();
        network.ParameterSet.SetValues([1.0, 0.0]);
        return network;
    }

    private static readonly Matrix<double> Rows = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 0 }, { 0, 2 }, { -1, -1 }, { Math.Log(3), 0 } });

    [Theory]
    [InlineData("softmax")]
    [InlineData("identity")]
    public void PredictClasses_ArgMaxOfTheScores(string last)
    {
        // z = (2, 0, 0) -> 0; (0, 2, 0) -> 1; (-1, -1, 0) -> 2; (ln 3, 0, 0) -> 0.
        Network<double> network = ThreeClasses(Activation.FromName(last));
        network.PredictClasses(Rows).Should().Equal(0, 1, 2, 0);
        network.PredictClass([-1.0, -1.0]).Should().Be(2);
        var labels = new LabelMap(["setosa", "versicolor", "virginica"]);
        network.PredictClasses(Rows, labels).Should().Equal("setosa", "versicolor", "virginica", "setosa");
        network.PredictClass([0.0, 2.0], labels).Should().Be("versicolor");
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("identity")]
    public void PredictProbabilities_SoftmaxOfTheLogits(string last)
    {
        // Row (ln 3, 0): z = (ln 3, 0, 0), e^z = (3, 1, 1), softmax = (3, 1, 1) / 5 = (0.6, 0.2, 0.2).
        Network<double> network = ThreeClasses(Activation.FromName(last));
        Matrix<double> p = network.PredictProbabilities(Rows);
        p.Row(3).ToArray().Should().Equal([0.6, 0.2, 0.2], (a, b) => Math.Abs(a - b) < 1e-15);
        var one = new double[3];
        network.PredictProbabilities([Math.Log(3), 0.0], one);
        one.Should().Equal([0.6, 0.2, 0.2], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void SingleOutput_SigmoidThresholdsAtHalfAndLogitsAtZero()
    {
        // Sigmoid: p(0) = 0.5 -> class 1 (p >= 0.5); p(-0.1) < 0.5 -> 0. Logits: z = ln 3 -> σ = 3/4 = 0.75, class 1.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { -0.1 }, { Math.Log(3) } });
        OneOutput(Activation.Sigmoid).PredictClasses(x).Should().Equal(1, 0, 1);
        Network<double> logits = OneOutput(Activation.Identity);
        logits.PredictClasses(x).Should().Equal(1, 0, 1);
        logits.PredictProbabilities(x)[2, 0].Should().BeApproximately(0.75, 1e-15);
        logits.PredictClass([-0.1], new LabelMap(["no", "yes"])).Should().Be("no");
    }

    [Fact]
    public void PredictProbabilities_ReluLastLayer_Throws()
    {
        FluentActions.Invoking(() => ThreeClasses(Activation.ReLU).PredictProbabilities(Rows)).Should().Throw<InvalidOperationException>().WithMessage("*softmax, sigmoid or linear*");
    }

    [Fact]
    public void PredictClasses_LabelsOfTheWrongCount_Throw()
    {
        FluentActions.Invoking(() => ThreeClasses(Activation.Softmax).PredictClasses(Rows, new LabelMap(["a", "b"])))
            .Should().Throw<ArgumentException>().WithParameterName("labels");
    }

    [Fact]
    public void ArgMax_FirstIndexOnTiesAndNaNNeverWins()
    {
        ArgMax.Of<double>([1, 3, 3, 2]).Should().Be(1);
        ArgMax.Of<double>([double.NaN, -5, -7]).Should().Be(1);
        ArgMax.Of<float>([0.1f]).Should().Be(0);
        ArgMax.Rows(Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1 }, { 5, 4, 3 }, { double.NaN, 0, 2 } })).Should().Equal(1, 0, 2);
        FluentActions.Invoking(() => ArgMax.Of<double>([])).Should().Throw<ArgumentException>().WithParameterName("values");
    }

    [Fact]
    public void Predict_RejectNonFinite_NamesRowAndColumn()
    {
        Network<double> network = ThreeClasses(Activation.Softmax);
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, double.NaN } });
        FluentActions.Invoking(() => network.Predict(x, rejectNonFinite: true)).Should().Throw<ArgumentException>().WithMessage("input[1, 1] is NaN*").WithParameterName("input");
        network.Predict(x, rejectNonFinite: false)[1, 0].Should().Be(double.NaN);
        FluentActions.Invoking(() => network.Predict([1.0, double.PositiveInfinity], new double[3], rejectNonFinite: true)).Should().Throw<ArgumentException>().WithMessage("input[0, 1] is Infinity*");
    }
}
