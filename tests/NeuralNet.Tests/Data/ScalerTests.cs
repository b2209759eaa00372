using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public class ScalerTests
{
    // Column 0: 1, 3, 5; column 1: constant 7.
    private static readonly Matrix<double> Training = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 7 }, { 3, 7 }, { 5, 7 } });

    [Fact]
    public void MinMaxScaler_FitTransform_MapsTrainingRangeToUnitInterval()
    {
        var scaler = new MinMaxScaler();

        Matrix<double> scaled = scaler.FitTransform(Training);

        // (x - 1) / (5 - 1): 0, 0.5, 1; the constant column has divisor 1: 7 - 7 = 0.
        scaled.Column(0).ToArray().Should().Equal(0, 0.5, 1);
        scaled.Column(1).ToArray().Should().Equal(0, 0, 0);
        scaler.Shift.Should().Equal(1, 7);
        scaler.Divisor.Should().Equal(4, 1);
    }

    [Fact]
    public void StandardScaler_Fit_UsesMeanAndPopulationStandardDeviation()
    {
        var scaler = new StandardScaler();

        Matrix<double> scaled = scaler.FitTransform(Training);

        // mean 3, variance ((-2)^2 + 0 + 2^2) / 3 = 8/3, std = sqrt(8/3) = 1.63299...
        scaler.Shift[0].Should().Be(3);
        scaler.Divisor[0].Should().BeApproximately(Math.Sqrt(8.0 / 3), 1e-15);
        scaled[0, 0].Should().BeApproximately(-2 / Math.Sqrt(8.0 / 3), 1e-15);
        scaler.Divisor[1].Should().Be(1);
    }

    [Fact]
    public void Transform_NewData_UsesTrainingStatisticsOnly()
    {
        var scaler = new MinMaxScaler();
        scaler.Fit(Training);

        Matrix<double> scaled = scaler.Transform(Matrix<double>.Build.DenseOfArray(new double[,] { { 9, 8 } }));

        scaled.Row(0).ToArray().Should().Equal(2, 1); // (9 - 1) / 4 = 2 (outside [0, 1] is fine), 8 - 7 = 1
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void InverseTransform_AfterTransform_RecoversInput(bool standard)
    {
        Scaler scaler = standard ? new StandardScaler() : new MinMaxScaler();
        Matrix<double> data = Matrix<double>.Build.Dense(20, 3, (i, j) => Math.Sin(i * 3 + j) * (j + 1) * 100);

        Matrix<double> back = scaler.Fit(data).InverseTransform(scaler.Transform(data));

        for (int i = 0; i < data.RowCount; i++)
        {
            for (int j = 0; j < data.ColumnCount; j++)
            {
                back[i, j].Should().BeApproximately(data[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void Transform_NotFitted_ThrowsInvalidOperation()
    {
        Action act = () => new StandardScaler().Transform(Training);

        act.Should().Throw<InvalidOperationException>().WithMessage("*not fitted*");
    }

    [Fact]
    public void Transform_WrongColumnCount_ThrowsArgument()
    {
        var scaler = new StandardScaler();
        scaler.Fit(Training);

        Action act = () => scaler.Transform(Matrix<double>.Build.Dense(2, 3));

        act.Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*expected 2 columns*got 3*");
    }

    [Fact]
    public void Fit_NonFiniteValue_ThrowsArgument()
    {
        Matrix<float> bad = Matrix<float>.Build.DenseOfArray(new float[,] { { 1, float.NaN } });

        Action act = () => new MinMaxScaler().Fit(bad);

        act.Should().Throw<ArgumentException>().WithParameterName("training").WithMessage("*training[0, 1] is NaN*");
    }

    [Theory]
    [InlineData("min_max", typeof(MinMaxScaler))]
    [InlineData("standard", typeof(StandardScaler))]
    public void FromStatistics_FittedStatistics_TransformsLikeTheOriginal(string kind, Type type)
    {
        Scaler original = kind == "min_max" ? new MinMaxScaler() : new StandardScaler();
        original.Fit(Training);

        Scaler restored = Scaler.FromStatistics(kind, original.Shift, original.Divisor);

        restored.Should().BeOfType(type);
        restored.Transform(Training).ToColumnMajorArray().Should().Equal(original.Transform(Training).ToColumnMajorArray());
    }

    [Fact]
    public void FromStatistics_BadArguments_Throw()
    {
        Action unknown = () => Scaler.FromStatistics("robust", [1.0], [2.0]);
        Action lengths = () => Scaler.FromStatistics("standard", [1.0, 2.0], [2.0]);
        Action zero = () => Scaler.FromStatistics("standard", [1.0], [0.0]);
        Action negative = () => Scaler.FromStatistics("standard", [1.0], [-2.0]);
        Action subnormal = () => Scaler.FromStatistics("standard", [1.0], [1e-320]);
        Action empty = () => Scaler.FromStatistics("standard", [], []);

        unknown.Should().Throw<ArgumentException>().WithParameterName("kind").WithMessage("*'robust'*");
        lengths.Should().Throw<ArgumentException>().WithParameterName("divisor").WithMessage("*2 and 1*");
        zero.Should().Throw<ArgumentException>().WithParameterName("divisor");
        negative.Should().Throw<ArgumentException>().WithParameterName("divisor");
        subnormal.Should().Throw<ArgumentException>().WithParameterName("divisor");
        empty.Should().Throw<ArgumentException>().WithParameterName("divisor");
    }
}
