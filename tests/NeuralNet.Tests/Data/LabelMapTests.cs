using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public class LabelMapTests
{
    [Fact]
    public void Fit_NumericLabels_SortsNumerically()
    {
        LabelMap map = LabelMap.Fit(["10", "2", "2", "1"]);

        map.ClassNames.Should().Equal("1", "2", "10");
        map.IndexOf("10").Should().Be(2);
    }

    [Fact]
    public void Fit_TextLabels_SortsOrdinally()
    {
        LabelMap map = LabelMap.Fit(["dog", "cat", "Zebra"]);

        map.ClassNames.Should().Equal("Zebra", "cat", "dog");
        map.Encode(["cat", "dog"]).Should().Equal(1, 2);
        map.NameOf(0).Should().Be("Zebra");
    }

    [Fact]
    public void OneHot_Indices_SetsOneColumnPerRow()
    {
        Matrix<float> m = new LabelMap(["a", "b", "c"]).OneHot<float>([2, 0]);

        m.ToArray().Should().BeEquivalentTo(new float[,] { { 0, 0, 1 }, { 1, 0, 0 } });
    }

    [Fact]
    public void OneHot_IndexOutOfRange_ThrowsArgumentOutOfRange()
    {
        Action act = () => LabelMap.OneHot<float>([0, 3], 3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("indices");
    }

    [Fact]
    public void Constructor_DuplicateName_ThrowsArgument()
    {
        Action act = () => new LabelMap(["a", "b", "a"]);

        act.Should().Throw<ArgumentException>().WithParameterName("classNames");
    }

    [Fact]
    public void IndexOf_UnknownName_ThrowsArgument()
    {
        Action act = () => new LabelMap(["a"]).IndexOf("z");

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }
}
