namespace NeuralNet.Tests;

public class RandomSourceTests
{
    [Fact]
    public void SameSeed_SameStream_OtherSeed_OtherStream()
    {
        var a = new RandomSource(42);
        var b = new RandomSource(42);
        var c = new RandomSource(43);
        ulong[] sa = [a.NextUInt64(), a.NextUInt64(), a.NextUInt64()];
        ulong[] sb = [b.NextUInt64(), b.NextUInt64(), b.NextUInt64()];
        ulong[] sc = [c.NextUInt64(), c.NextUInt64(), c.NextUInt64()];
        sa.Should().Equal(sb);
        sa.Should().NotEqual(sc);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.3333333333333333)]
    [InlineData(0.9999999999999999)]
    public void FillKeepMask_EqualsNextDoubleLoop_AndLeavesTheSameState(double rate)
    {
        var a = new RandomSource(7);
        var b = new RandomSource(7);
        var mask = new float[10_001];
        a.FillKeepMask(mask, rate, 2f);
        var expected = new float[mask.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = b.NextDouble() >= rate ? 2f : 0f;
        }

        mask.Should().Equal(expected);
        a.NextUInt64().Should().Be(b.NextUInt64());
    }

    [Fact]
    public void FillKeepMask_AtTheThreshold_KeepsExactlyTheDrawsAtOrAboveTheRate()
    {
        // State (1, 2, 3, 4) draws 11520, 0, 1509978240, ... (reference outputs): k = bits >> 11 gives 5, 0, 737294, ...
        // A rate of exactly 5·2⁻⁵³ keeps the first draw (u = rate) and drops the second (u = 0).
        var r = new RandomSource(0);
        r.SetState(new RandomSourceState(1, 2, 3, 4, false, 0));
        var mask = new double[3];
        r.FillKeepMask(mask, 5.0 / (1UL << 53), 1.0);
        mask.Should().Equal(1.0, 0.0, 1.0);
    }

    [Fact]
    public void Xoshiro256StarStar_MatchesReferenceOutput()
    {
        // With state (1, 2, 3, 4) the reference C implementation's first outputs are 11520, 0, 1509978240, 1215971899390074240.
        var r = new RandomSource(0);
        r.SetState(new RandomSourceState(1, 2, 3, 4, false, 0));
        new[] { r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64() }
            .Should().Equal(11520UL, 0UL, 1509978240UL, 1215971899390074240UL);
    }

    [Fact]
    public void GetStateSetState_ResumesExactly()
    {
        var r = new RandomSource(7);
        r.NextGaussian(); // leaves a cached spare deviate in the state
        RandomSourceState state = r.GetState();
        double[] expected = [r.NextGaussian(), r.NextDouble(), r.NextInt(10)];
        var resumed = new RandomSource(0);
        resumed.SetState(state);
        new[] { resumed.NextGaussian(), resumed.NextDouble(), resumed.NextInt(10) }.Should().Equal(expected);
    }

    [Fact]
    public void NextInt_StaysInRange_AndCoversIt()
    {
        var r = new RandomSource(1);
        var seen = new bool[7];
        for (int i = 0; i < 1000; i++)
        {
            int v = r.NextInt(7);
            v.Should().BeInRange(0, 6);
            seen[v] = true;
        }

        seen.Should().OnlyContain(s => s);
    }

    [Fact]
    public void NextInt_NonPositive_ThrowsWithValue()
    {
        Action act = () => new RandomSource(1).NextInt(0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxExclusive").WithMessage("*maxExclusive=0*");
    }

    [Fact]
    public void SetState_AllZero_Throws()
    {
        Action act = () => new RandomSource(1).SetState(default);
        act.Should().Throw<ArgumentException>().WithParameterName("state");
    }
}
