using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Cross-entropies paired with the wrong last activation are rejected with the fix in the message.</summary>
public class OutputLossCheckTests
{
    private static Network<double> Net(IActivation last, int outputs) =>
        new NetworkBuilder<double>(2).WithSeed(1).AddDense(4, Activation.Tanh).AddDense(outputs, last).Build();

    public static TheoryData<string, string, int, string> Mistakes => new()
    {
        { "identity", "categorical_crossentropy", 3, "*Activation.Softmax*CategoricalCrossEntropyFromLogits*" },
        { "relu", "sparse_categorical_crossentropy", 3, "*Activation.Softmax*SparseCategoricalCrossEntropyFromLogits*" },
        { "identity", "binary_crossentropy", 1, "*Activation.Sigmoid*BinaryCrossEntropyFromLogits*" },
        { "softmax", "binary_crossentropy", 3, "*Activation.Sigmoid*" },
        { "softmax", "categorical_crossentropy(from_logits=1)", 3, "*squashed twice*Activation.Identity*" },
        { "sigmoid", "binary_crossentropy(from_logits=1)", 1, "*squashed twice*" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Fit_MismatchedLossAndActivation_ThrowsWithTheFix(string activation, string loss, int outputs, string message)
    {
        Network<double> network = Net(Activation.FromName(activation), outputs);
        ILoss l = Loss.FromName(loss);
        int targetColumns = l.ExpectedTargetColumns(outputs);
        var x = Matrix<double>.Build.Dense(4, 2, 0.5);
        var y = Matrix<double>.Build.Dense(4, targetColumns, 0.0);
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = 1, Loss = l });

        FluentActions.Invoking(() => trainer.Fit(network, x, y)).Should().Throw<ArgumentException>().WithMessage(message).WithParameterName("options");
    }

    [Theory]
    [InlineData("softmax", "categorical_crossentropy", 3)]
    [InlineData("identity", "categorical_crossentropy(from_logits=1)", 3)]
    [InlineData("sigmoid", "binary_crossentropy", 2)]
    [InlineData("identity", "binary_crossentropy(from_logits=1)", 1)]
    [InlineData("softmax", "sparse_categorical_crossentropy", 3)]
    [InlineData("relu", "mse", 3)]
    public void Fit_MatchingPairs_Train(string activation, string loss, int outputs)
    {
        Network<double> network = Net(Activation.FromName(activation), outputs);
        ILoss l = Loss.FromName(loss);
        var x = Matrix<double>.Build.Dense(4, 2, 0.5);
        var y = Matrix<double>.Build.Dense(4, l.ExpectedTargetColumns(outputs), 0.0);

        new Trainer<double>(new TrainerOptions { Epochs = 1, Loss = l }).Fit(network, x, y).Epochs.Should().HaveCount(1);
    }
}
