using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

/// <summary>Whether the GEMM workers are spinning depends on every dispatch in the process: these tests run alone.</summary>
[CollectionDefinition(nameof(GemmWorkersQuietCollection), DisableParallelization = true)]
public sealed class GemmWorkersQuietCollection;

[Collection(nameof(GemmWorkersQuietCollection))]
public sealed class GemmWorkersSpinTests
{
    private sealed class NoWork : IGemmWork
    {
        public void Run(int part)
        {
        }
    }

    [Fact]
    public void WorkersSpinning_RightAfterADispatch_AndNotOnceTheSpinIsOver()
    {
        // Right after a dispatch the workers spin for 100 µs, and the flag holds for the first half of that; a thread
        // descheduled between the two lines could miss it, so a few tries.
        bool seen = false;
        for (int attempt = 0; attempt < 50 && !seen; attempt++)
        {
            GemmWorkers.TryRun(new NoWork(), 2).Should().BeTrue("nothing else runs in this collection");
            seen = GemmWorkers.WorkersSpinning;
        }

        seen.Should().BeTrue("the flag is set within 50 µs of a dispatch");
        Thread.Sleep(20);
        GemmWorkers.WorkersSpinning.Should().BeFalse("20 ms after the last dispatch the workers have stopped spinning");
    }

    [Fact]
    public void AProductSplitBecauseTheWorkersSpin_HasTheBitsOfOneThread()
    {
        // The output layer's weight gradient at batch 128 (128 x 10 from 128 rows, 164K multiply-adds): one thread when
        // the workers are asleep, two right after a dispatch. Either way the same bits.
        var random = new Random(41);
        float[] a = GemmTests.RandomArray<float>(random, 128 * 128), b = GemmTests.RandomArray<float>(random, 128 * 10);
        float[] single = new float[128 * 10];
        Gemm.MultiplyCore(true, false, 128, 10, 128, 1f, a, 128, b, 128, 0f, single, 128, GemmPath.Auto, 1);
        for (int repeat = 0; repeat < 20; repeat++)
        {
            GemmWorkers.TryRun(new NoWork(), 2);
            float[] split = new float[128 * 10];
            Gemm.MultiplyCore(true, false, 128, 10, 128, 1f, a, 128, b, 128, 0f, split, 128, GemmPath.Auto, 2);
            split.Should().Equal(single, "repeat {0}", repeat);
        }
    }
}
