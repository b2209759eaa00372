using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public class ScalerRowTests
{
    [Fact]
    public void Transform_OneRow_MatchesTheMatrixTransformBitForBit()
    {
        // Standard scaler on column 0 = (1, 3): mean 2, std 1, so 5 -> (5 - 2) / 1 = 3; column 1 = (10, 30): mean 20, std 10, 0 -> -2.
        var training = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 10 }, { 3, 30 } });
        var scaler = new StandardScaler();
        scaler.Fit(training);
        var row = new double[2];
        scaler.Transform([5.0, 0.0], row);
        row.Should().Equal(3.0, -2.0);
        Matrix<double> many = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.3, 17.1 }, { -4, 1e3 } });
        Matrix<double> expected = scaler.Transform(many);
        for (int r = 0; r < 2; r++)
        {
            scaler.Transform(many.Row(r).ToArray(), row);
            row.Should().Equal(expected.Row(r).ToArray());
            var back = new double[2];
            scaler.InverseTransform(row, back);
            back.Should().Equal(scaler.InverseTransform(expected).Row(r).ToArray());
        }
    }

    [Fact]
    public void Transform_OneRow_WrongLengthOrUnfitted_Throws()
    {
        var scaler = new MinMaxScaler();
        FluentActions.Invoking(() => scaler.Transform([1.0], new double[1])).Should().Throw<InvalidOperationException>();
        scaler.Fit(Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1 }, { 2, 3 } }));
        FluentActions.Invoking(() => scaler.Transform([1.0], new double[2])).Should().Throw<ArgumentException>().WithParameterName("row");
        FluentActions.Invoking(() => scaler.Transform([1.0, 2.0], new double[1])).Should().Throw<ArgumentException>().WithParameterName("destination");
    }
}
