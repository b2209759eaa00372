using System.Numerics;
using FluentAssertions;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

/// <summary>The register-tiled transposes against the element-by-element definition <c>d[j · ldd + i] = s[i · lds + j]</c>.</summary>
public unsafe class BlockTransposeTests
{
    /// <summary>Transposes an m x n block (source stride lds) into a destination of stride ldd placed at
    /// <paramref name="misalign"/> elements past a 64-byte boundary, with the plain and the streaming path.</summary>
    private static void BothPathsMatchDefinition<T>(int m, int n, int lds, int ldd, int misalign) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m * 1000 + n);
        T[] source = new T[m * lds];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        // Space for 64 bytes of alignment slack, the offset, and the block; the rest holds a sentinel that must survive.
        int slack = 64 / sizeof(T);
        T sentinel = T.CreateTruncating(-7);
        T[] plain = GC.AllocateArray<T>(slack + misalign + n * ldd, pinned: true);
        T[] streaming = GC.AllocateArray<T>(plain.Length, pinned: true);
        Array.Fill(plain, sentinel);
        Array.Fill(streaming, sentinel);
        int start;
        fixed (T* ps = source, pp = plain, pt = streaming)
        {
            start = (int)((-(nint)pt & 63) / sizeof(T)) + misalign;
            int startPlain = (int)((-(nint)pp & 63) / sizeof(T)) + misalign;
            BlockTranspose.Rows(ps, lds, null, 0, m, n, pp + startPlain, ldd);
            BlockTranspose.RowsStreaming(ps, lds, m, n, pt + start, ldd);
            plain = plain.AsSpan(startPlain, n * ldd).ToArray();
        }

        var expected = new T[n * ldd];
        Array.Fill(expected, sentinel);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[j * ldd + i] = source[i * lds + j];
            }
        }

        plain.Should().Equal(expected);
        streaming.AsSpan(start, n * ldd).ToArray().Should().Equal(expected);
        streaming.AsSpan(0, start).ToArray().Should().Equal(Enumerable.Repeat(sentinel, start));
        streaming.AsSpan(start + n * ldd).ToArray().Should().Equal(Enumerable.Repeat(sentinel, streaming.Length - start - n * ldd));
    }

    [Theory]
    [InlineData(784, 1024, 60_000 % 4096, 784, 0)] // the trainer's staging band: whole 64-byte lines
    [InlineData(48, 29, 31, 48, 0)] // columns not a multiple of 8: the column tail
    [InlineData(37, 21, 40, 48, 0)] // rows not a multiple of 16 (float) or 8 (double): the row tail
    [InlineData(32, 16, 32, 32, 3)] // a destination off the 64-byte line: the plain path
    [InlineData(13, 11, 17, 13, 0)] // a stride that is not a multiple of 64 bytes: the plain path
    public void Transpose_EqualsTheDefinition_OnBothPaths(int m, int n, int lds, int ldd, int misalign)
    {
        BothPathsMatchDefinition<float>(m, n, Math.Max(lds, n), ldd, misalign);
        BothPathsMatchDefinition<double>(m, n, Math.Max(lds, n), ldd, misalign);
    }
}
