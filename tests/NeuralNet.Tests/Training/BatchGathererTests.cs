using System.Numerics;
using NeuralNet.Kernels;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>The tiled, multi-threaded gather against the plain element-by-element one.</summary>
public class BatchGathererTests
{
    private static void GatherMatchesPlainCopy<T>(int totalRows, int trainRows, int inputs, int batch, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int previous = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = threads;
            var random = new Random(totalRows + inputs);
            T[] x = new T[totalRows * inputs], y = new T[totalRows * 2];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = T.CreateTruncating(random.NextDouble());
            }

            for (int i = 0; i < y.Length; i++)
            {
                y[i] = T.CreateTruncating(i);
            }

            var gatherer = new BatchGatherer<T>(x, y, totalRows, trainRows, inputs, 2, batch);
            var reused = new BatchGatherer<T>(x, y, totalRows, trainRows, inputs, 2, batch, null, new T[trainRows * inputs + 16]);
            int[] indices = new int[batch];
            for (int k = 0; k < batch; k++)
            {
                indices[k] = random.Next(trainRows);
            }

            gatherer.Gather(indices);
            reused.Gather(indices);
            var expectedX = new T[batch * inputs];
            var expectedY = new T[batch * 2];
            for (int k = 0; k < batch; k++)
            {
                for (int j = 0; j < inputs; j++)
                {
                    // batch[k, j] = x[indices[k], j], both column-major.
                    expectedX[k + j * batch] = x[indices[k] + j * totalRows];
                }

                for (int j = 0; j < 2; j++)
                {
                    expectedY[k + j * batch] = y[indices[k] + j * totalRows];
                }
            }

            gatherer.BatchX.Should().Equal(expectedX);
            gatherer.BatchY.Should().Equal(expectedY);
            reused.BatchX.Should().Equal(expectedX);
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = previous;
        }
    }

    [Theory]
    [InlineData(60, 50, 13, 11, 1)] // nothing a multiple of 8: every tail path
    [InlineData(700, 650, 784, 128, 2)] // the reference shape's widths, two threads
    [InlineData(300, 300, 35, 64, 2)]
    [InlineData(2100, 2091, 48, 100, 2)] // rows of 64 bytes: the streaming copy, over two bands per thread, a column tail
    [InlineData(1030, 1029, 64, 7, 1)]
    public void Gather_EqualsElementByElementCopy(int totalRows, int trainRows, int inputs, int batch, int threads)
    {
        GatherMatchesPlainCopy<float>(totalRows, trainRows, inputs, batch, threads);
        GatherMatchesPlainCopy<double>(totalRows, trainRows, inputs, batch, threads);
    }
}
