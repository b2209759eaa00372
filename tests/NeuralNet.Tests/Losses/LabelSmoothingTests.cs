using NeuralNet.Losses;

namespace NeuralNet.Tests.Losses;

/// <summary>Sparse categorical cross-entropy with label smoothing, worked by hand on one row.</summary>
public class LabelSmoothingTests
{
    // One row, K = 2 classes, label c = 0, ε = 0.2: ỹ = (1 - 0.2 + 0.1, 0.1) = (0.9, 0.1).
    // Logits z = (ln 3, 0): softmax p = (3, 1) / 4 = (0.75, 0.25).
    // L = -(0.9 ln 0.75 + 0.1 ln 0.25) = 0.9 · 0.28768207 + 0.1 · 1.38629436 = 0.39754330
    //   = lse - (1 - ε) z_c - (ε/K) Σ z = ln 4 - 0.8 ln 3 - 0.1 ln 3 = 1.38629436 - 0.98875106 = 0.39754330.
    // dL/dz = p - ỹ = (-0.15, 0.15);  dL/dp = -ỹ / p = (-0.9/0.75, -0.1/0.25) = (-1.2, -0.4).
    private const double Expected = 0.397543302;
    private static readonly double[] Logits = [Math.Log(3), 0.0];
    private static readonly double[] Probabilities = [0.75, 0.25];
    private static readonly double[] Label = [0.0];

    [Fact]
    public void FromLogits_LossAndGradient()
    {
        var loss = new SparseCategoricalCrossEntropy(fromLogits: true, labelSmoothing: 0.2);
        loss.Compute<double>(Logits, Label, 1).Should().BeApproximately(Expected, 1e-9);
        var gradient = new double[2];
        loss.Gradient<double>(Logits, Label, gradient, 1);
        gradient.Should().Equal([-0.15, 0.15], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void OnProbabilities_LossAndGradient()
    {
        var loss = (SparseCategoricalCrossEntropy)Loss.SparseCategoricalCrossEntropyWithLabelSmoothing(0.2);
        loss.Compute<double>(Probabilities, Label, 1).Should().BeApproximately(Expected, 1e-9);
        var gradient = new double[2];
        loss.Gradient<double>(Probabilities, Label, gradient, 1);
        gradient.Should().Equal([-1.2, -0.4], (a, b) => Math.Abs(a - b) < 1e-15);
        loss.ComputeFromLogits<double>(Logits, Label, 1).Should().BeApproximately(Expected, 1e-9);
        var fused = new double[2];
        loss.GradientFromLogits<double>(Probabilities, Label, fused, 1);
        fused.Should().Equal([-0.15, 0.15], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Names_RoundTripAndZeroIsThePlainLoss()
    {
        Loss.FromName("sparse_categorical_crossentropy(label_smoothing=0.1)").Name.Should().Be("sparse_categorical_crossentropy(from_logits=0,label_smoothing=0.1)");
        Loss.FromName(Loss.FromName("sparse_categorical_crossentropy(from_logits=1,label_smoothing=0.1)").Name)
            .Should().BeOfType<SparseCategoricalCrossEntropy>().Which.FromLogits.Should().BeTrue();
        Loss.FromName("sparse_categorical_crossentropy(label_smoothing=0)").Name.Should().Be("sparse_categorical_crossentropy");
        FluentActions.Invoking(() => Loss.SparseCategoricalCrossEntropyWithLabelSmoothing(1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("labelSmoothing");
    }
}
