using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FluentAssertions;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

public class AlignedArraysTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(AlignedArrays.MinBytes / sizeof(float) + 3)]
    [InlineData(200_704)]
    public void Allocate_HasTheLength_IsZero_AndKeepsWhatIsWritten(int length)
    {
        float[] array = AlignedArrays.Allocate<float>(length);
        array.Should().HaveCount(length);
        array.Should().OnlyContain(v => v == 0);
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = i;
        }

        GC.Collect();
        for (int i = 0; i < array.Length; i++)
        {
            array[i].Should().Be(i);
        }
    }

    [Fact]
    public unsafe void Allocate_LargeArrays_StartOnA64ByteBoundary_AndDoNotMove()
    {
        // The heap decides where an array goes; the allocator retries with a filler until one lands on a boundary. On a
        // quiet heap that takes one or two tries; the test allows a few misses out of many so that it cannot fail on a
        // heap another test has just fragmented, yet fails if the alignment is never sought (about 1 in 8 by chance).
        var kept = new List<Array>();
        int aligned = 0;
        const int Count = 40;
        for (int i = 0; i < Count; i++)
        {
            int length = 1024 + 7919 * i;
            if (i % 2 == 0)
            {
                float[] a = AlignedArrays.Allocate<float>(length);
                kept.Add(a);
                aligned += AlignedArrays.Misalignment(a) == 0 ? 1 : 0;
            }
            else
            {
                double[] a = AlignedArrays.Allocate<double>(length);
                kept.Add(a);
                aligned += AlignedArrays.Misalignment(a) == 0 ? 1 : 0;
            }
        }

        aligned.Should().BeGreaterThanOrEqualTo(Count * 3 / 4);
        float[] first = (float[])kept[0];
        long before = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(first));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        ((long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(first))).Should().Be(before, "a pinned array is never moved");
    }

    [Fact]
    public void Allocate_NegativeLength_Throws()
    {
        Action act = () => AlignedArrays.Allocate<double>(-1);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
