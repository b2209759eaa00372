using FluentAssertions;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

public class LargeArraysTests
{
    [Theory]
    [InlineData(10)]
    [InlineData((int)(LargeArrays.Threshold / sizeof(float)) + 12_345)]
    public void AllocateUninitialized_HasTheLength_AndKeepsWhatIsWritten(int length)
    {
        float[] array = LargeArrays.AllocateUninitialized<float>(length);
        array.Should().HaveCount(length);
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = i;
        }

        GC.Collect();
        array[0].Should().Be(0);
        array[length / 2].Should().Be(length / 2);
        array[^1].Should().Be(length - 1);
    }

    [Fact]
    public void AllocateUninitialized_NegativeLength_Throws()
    {
        Action act = () => LargeArrays.AllocateUninitialized<double>(-1);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
