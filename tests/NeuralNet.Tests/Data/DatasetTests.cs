using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public class DatasetTests
{
    /// <summary>100 samples: feature = row index, class = 0 for 60 rows, 1 for 30, 2 for 10.</summary>
    private static Dataset<double> Imbalanced()
    {
        var x = new double[100][];
        var y = new double[100];
        for (int i = 0; i < 100; i++)
        {
            x[i] = [i];
            y[i] = i < 60 ? 0 : i < 90 ? 1 : 2;
        }

        return Dataset<double>.FromArrays(x, y);
    }

    [Fact]
    public void Split_Stratified_KeepsClassProportionsInBothParts()
    {
        var (train, test) = Imbalanced().Split(0.2, seed: 5);

        // 20 test rows: 60 * 0.2 = 12 of class 0, 30 * 0.2 = 6 of class 1, 10 * 0.2 = 2 of class 2.
        test.Count.Should().Be(20);
        train.Count.Should().Be(80);
        test.Targets.Column(0).ToArray().Count(v => v == 0).Should().Be(12);
        test.Targets.Column(0).ToArray().Count(v => v == 1).Should().Be(6);
        test.Targets.Column(0).ToArray().Count(v => v == 2).Should().Be(2);
    }

    [Fact]
    public void Split_SameSeed_SameRowsOtherSeedOtherRows()
    {
        Dataset<double> data = Imbalanced();

        double[] a = data.Split(0.2, 5).Test.Features.Column(0).ToArray();
        double[] b = data.Split(0.2, 5).Test.Features.Column(0).ToArray();
        double[] c = data.Split(0.2, 6).Test.Features.Column(0).ToArray();

        a.Should().Equal(b);
        a.Should().NotEqual(c);
    }

    [Fact]
    public void Split_Parts_AreDisjointAndCoverEveryRow()
    {
        var (train, test) = Imbalanced().Split(0.3, seed: 9, stratify: false);

        train.Features.Column(0).ToArray().Concat(test.Features.Column(0).ToArray()).Order().Should().Equal(Enumerable.Range(0, 100).Select(i => (double)i));
    }

    [Fact]
    public void Split_OneHotTargets_StratifiesByArgMax()
    {
        Matrix<double> x = Matrix<double>.Build.Dense(10, 1, (i, _) => i);
        Matrix<double> y = LabelMap.OneHot<double>([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], 2);

        var (_, test) = new Dataset<double>(x, y).Split(0.5, seed: 1);

        test.Targets.Column(1).Sum().Should().Be(1); // half of the two class-1 rows
    }

    [Fact]
    public void CopyBatch_Indices_GathersColumnMajorRows()
    {
        Dataset<float> data = Dataset<float>.FromArrays(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, [10, 20, 30]);
        var x = new float[4];
        var y = new float[2];

        data.CopyBatch([2, 0], x, y);

        x.Should().Equal(5f, 1f, 6f, 2f); // column 0 of rows 2, 0, then column 1
        y.Should().Equal(30f, 10f);
    }

    [Fact]
    public void CopyBatch_IndexOutOfRange_ThrowsArgumentOutOfRange()
    {
        Dataset<float> data = Dataset<float>.FromArrays(new float[,] { { 1 } }, [0]);

        Action act = () => data.CopyBatch([1], new float[1], new float[1]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("indices");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.001)]
    public void Split_FractionThatEmptiesAPart_ThrowsArgumentOutOfRange(double fraction)
    {
        Action act = () => Imbalanced().Split(fraction, 1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("testFraction");
    }

    [Fact]
    public void Constructor_RowCountsDiffer_ThrowsArgument()
    {
        Action act = () => new Dataset<double>(Matrix<double>.Build.Dense(3, 2), Matrix<double>.Build.Dense(2, 1));

        act.Should().Throw<ArgumentException>().WithParameterName("targets");
    }
}
