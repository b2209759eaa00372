using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public class TrainingDataValidationTests
{
    private static Network<double> Net(int outputs, IActivation output) =>
        new NetworkBuilder<double>(2).WithSeed(1).AddDense(4, Activation.Tanh).AddDense(outputs, output).Build();

    private static Trainer<double> Trainer(ILoss loss) =>
        new(new TrainerOptions { Epochs = 1, BatchSize = 4, Seed = 3, Shuffle = true, Optimizer = new Sgd(0.1), Loss = loss });

    private static Matrix<double> X(int rows) => Matrix<double>.Build.Dense(rows, 2, (i, j) => 0.1 * i - 0.2 * j);

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Fit_NonFiniteInput_ThrowsNamingMatrixRowAndColumn(double bad, string shown)
    {
        Matrix<double> x = X(10), y = Matrix<double>.Build.Dense(10, 1, (i, _) => i % 2);
        x[7, 1] = bad;

        Action act = () => Trainer(Loss.MeanSquaredError).Fit(Net(1, Activation.Identity), x, y);

        act.Should().Throw<ArgumentException>().WithParameterName("x")
            .WithMessage($"x[7, 1] is {shown} (row 7, column 1 of x [10x2]); training data must be finite*");
    }

    [Theory]
    [InlineData(2_999, 31, 0.0)] // the second thread's part of the copy, its last band, the last column
    [InlineData(1_030, 0, 0.0)] // a band's first column past the first band
    [InlineData(2_000, 5, 0.25)] // a training row (rows 0-2249) when a validation split is held out
    [InlineData(2_700, 17, 0.25)] // a held-out validation row (2250-2999): checked before the copy
    public void Fit_NonFiniteInputInLargeData_ThrowsNamingTheRow_AndLeavesTheNetworkAndTrainerUsable(int row, int column, double validationFraction)
    {
        // Large enough for the trainer's row-major copy to run in bands on two threads; 32 float columns make whole
        // 64-byte lines, so the streaming path copies (and checks) them.
        int previous = NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism;
        try
        {
            NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism = 2;
            const int Rows = 3_000;
            Matrix<float> x = Matrix<float>.Build.Dense(Rows, 32, (i, j) => 0.001f * i - 0.01f * j);
            Matrix<float> y = Matrix<float>.Build.Dense(Rows, 1, (i, _) => i % 3);
            Network<float> network = new NetworkBuilder<float>(32).WithSeed(1).AddDense(3, Activation.Softmax).Build();
            float[] before = network.ParameterSet.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
            var trainer = new Trainer<float>(new TrainerOptions { Epochs = 1, BatchSize = 64, Seed = 3, ValidationFraction = validationFraction, Optimizer = new Adam(0.01), Loss = Loss.SparseCategoricalCrossEntropy });
            x[row, column] = float.NaN;

            Action act = () => trainer.Fit(network, x, y);

            act.Should().Throw<ArgumentException>().WithParameterName("x")
                .WithMessage($"x[{row}, {column}] is NaN (row {row}, column {column} of x [3000x32]); training data must be finite*");
            network.ParameterSet.Parameters.SelectMany(p => p.Value.ToArray()).Should().Equal(before);
            x[row, column] = 0f;
            trainer.Fit(network, x, y).Epochs.Should().HaveCount(1);
        }
        finally
        {
            NeuralNet.Kernels.Gemm.MaxDegreeOfParallelism = previous;
        }
    }

    [Fact]
    public void Fit_NonFiniteTarget_ThrowsNamingY()
    {
        Matrix<double> x = X(10), y = Matrix<double>.Build.Dense(10, 1, (i, _) => i % 2);
        y[4, 0] = double.NaN;

        Action act = () => Trainer(Loss.MeanSquaredError).Fit(Net(1, Activation.Identity), x, y);

        act.Should().Throw<ArgumentException>().WithParameterName("y").WithMessage("y[4, 0] is NaN*");
    }

    [Fact]
    public void Fit_NonFiniteValidationInput_ThrowsNamingValidationX()
    {
        Matrix<double> x = X(10), y = Matrix<double>.Build.Dense(10, 1, (i, _) => i % 2);
        Matrix<double> vx = X(3);
        vx[2, 0] = double.PositiveInfinity;

        Action act = () => Trainer(Loss.MeanSquaredError).Fit(Net(1, Activation.Identity), x, y, vx, y.SubMatrix(0, 3, 0, 1));

        act.Should().Throw<ArgumentException>().WithParameterName("validationX").WithMessage("validationX[2, 0] is Infinity*");
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(-1.0)]
    [InlineData(1.5)]
    public void Fit_BadClassLabel_NamesTheRowOfTheDataNotOfTheShuffledBatch(double label)
    {
        // 12 rows in shuffled batches of 4: the bad label at data row 9 would sit at some position 0..3 of a batch.
        Matrix<double> x = X(12), y = Matrix<double>.Build.Dense(12, 1, (i, _) => i % 3);
        y[9, 0] = label;

        Action act = () => Trainer(Loss.SparseCategoricalCrossEntropy).Fit(Net(3, Activation.Softmax), x, y);

        act.Should().Throw<ArgumentException>().WithParameterName("y")
            .WithMessage($"y row 9 holds class label {label}, but sparse_categorical_crossentropy on a network with 3 outputs needs integers in [0, 3).*");
    }

    [Fact]
    public void Fit_CleanData_TrainsAsBefore()
    {
        Matrix<double> x = X(12), y = Matrix<double>.Build.Dense(12, 1, (i, _) => i % 3);

        TrainingHistory history = Trainer(Loss.SparseCategoricalCrossEntropy).Fit(Net(3, Activation.Softmax), x, y);

        history.Epochs.Should().HaveCount(1);
    }
}
