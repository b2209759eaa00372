using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests;

public class PerceptronTests
{
    private static readonly Matrix<double> Corners = Matrix<double>.Build.DenseOfArray(TestData.XorInputs);

    [Theory]
    [InlineData("AND", new[] { 0, 0, 0, 1 })]
    [InlineData("OR", new[] { 0, 1, 1, 1 })]
    [InlineData("NAND", new[] { 1, 1, 1, 0 })]
    public void Train_LinearlySeparableGate_ConvergesAndClassifiesAll(string gate, int[] truth)
    {
        var p = new Perceptron<double>(2);
        PerceptronTrainingResult result = p.Train(Corners, truth, maxEpochs: 100);
        result.Converged.Should().BeTrue(gate);
        result.ErrorsInLastEpoch.Should().Be(0);
        p.Predict(Corners).Should().Equal(truth);
    }

    [Fact]
    public void Train_And_FollowsTheRuleStepByStep()
    {
        // eta = 1, w = [0, 0], b = 0. Epoch 1: (0,0)->1 wrong (want 0): b = -1. (0,1): s = -1 -> 0 ok. (1,0) ok.
        // (1,1): s = -1 -> 0, want 1: w = [1, 1], b = 0. Epoch 2: (0,0): s = 0 -> 1 wrong: b = -1. (0,1): s = 0 -> 1 wrong:
        // w = [1, 0], b = -2. (1,0): s = -1 ok. (1,1): s = -1 -> 0 wrong: w = [2, 1], b = -1. Epoch 3: (0,0) s=-1 ok;
        // (0,1) s=0 -> 1 wrong: w = [2, 0], b = -2; (1,0) s=0 -> 1 wrong: w = [1, 0], b = -3; (1,1) s=-2 wrong: w=[2,1], b=-2.
        // Epoch 4: (0,0) -2 ok; (0,1) -1 ok; (1,0) 0 -> 1 wrong: w = [1, 1], b = -3; (1,1) -1 wrong: w = [2, 2], b = -2.
        // Epoch 5: (0,0) -2 ok; (0,1) 0 wrong: w = [2, 1], b = -3; (1,0) -1 ok; (1,1) 0 -> 1 ok. Epoch 6: no errors.
        var p = new Perceptron<double>(2, learningRate: 1);
        PerceptronTrainingResult result = p.Train(Corners, [0, 0, 0, 1], maxEpochs: 100);
        result.Should().Be(new PerceptronTrainingResult(true, 6, 0));
        p.Weights.ToArray().Should().Equal(2.0, 1.0);
        p.Bias.Should().Be(-3.0);
    }

    [Fact]
    public void Train_Xor_ReportsNonConvergenceWithoutThrowing()
    {
        var p = new Perceptron<float>(2);
        PerceptronTrainingResult result = p.Train(Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }), [0, 1, 1, 0], maxEpochs: 1000);
        result.Converged.Should().BeFalse();
        result.Epochs.Should().Be(1000);
        result.ErrorsInLastEpoch.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Train_BadLabel_Throws()
    {
        Action act = () => new Perceptron<double>(2).Train(Corners, [0, 2, 0, 1]);
        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*labels[1] = 2*");
    }

    [Fact]
    public void Train_WrongColumns_NamesBothShapes()
    {
        Action act = () => new Perceptron<double>(3).Train(Corners, [0, 0, 0, 1]);
        act.Should().Throw<ArgumentException>().WithParameterName("inputs").WithMessage("expected 3 input columns, got 2 (inputs [4x2])*");
    }

    [Fact]
    public void Constructor_NonPositiveSize_ThrowsWithValue()
    {
        Action act = () => _ = new Perceptron<double>(0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputSize").WithMessage("*inputSize=0*");
    }

    [Fact]
    public void Train_NullInputs_Throws()
    {
        Action act = () => new Perceptron<double>(2).Train(null!, [0]);
        act.Should().Throw<ArgumentNullException>().WithParameterName("inputs");
    }
}
