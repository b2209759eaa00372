using System.Diagnostics;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

public sealed class GemmWorkersTests
{
    /// <summary>Counts the runs of each part of one dispatch.</summary>
    private sealed class CountingWork(int parts, int failingPart = -1) : IGemmWork
    {
        public readonly int[] Runs = new int[8];

        public void Run(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            if (part == failingPart)
            {
                throw new InvalidOperationException($"part {part} of {parts} failed on purpose");
            }
        }
    }

    /// <summary>The pool is shared with every other test that multiplies; it may be busy for a moment.</summary>
    private static void RunWhenFree(IGemmWork work, int parts)
    {
        while (!GemmWorkers.TryRun(work, parts))
        {
            Thread.Yield();
        }
    }

    [Fact]
    public void TryRun_EveryPartRunsExactlyOnce_WhetherWorkersSpinYieldOrSleep()
    {
        // Dispatches back to back (workers caught in the pause spin), after 150 µs (past the pause spin, in the runtime's
        // yielding spin) and after 15 ms (blocked on their events), with 2, 3 and 4 parts in turn so that some workers sit
        // out some dispatches. A lost wake-up would hang the dispatch; a doubled one would run a part twice.
        for (int i = 0; i < 3000; i++)
        {
            int parts = 2 + i % 3;
            if (i % 97 == 0)
            {
                Thread.Sleep(15);
            }
            else if (i % 7 == 0)
            {
                long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 150 / 1_000_000;
                while (Stopwatch.GetTimestamp() < until)
                {
                    Thread.SpinWait(10);
                }
            }

            var work = new CountingWork(parts);
            RunWhenFree(work, parts);
            for (int part = 0; part < work.Runs.Length; part++)
            {
                work.Runs[part].Should().Be(part < parts ? 1 : 0, "dispatch {0} of {1} parts, part {2}", i, parts, part);
            }
        }
    }

    [Fact]
    public void TryRun_AWorkerPartThrows_ReportedAndThePoolKeepsWorking()
    {
        var failing = new CountingWork(3, failingPart: 2);
        Action run = () => RunWhenFree(failing, 3);
        run.Should().Throw<AggregateException>().WithInnerException<InvalidOperationException>().WithMessage("part 2 of 3 failed*");
        failing.Runs.Take(3).Should().Equal(1, 1, 1);

        var next = new CountingWork(3);
        RunWhenFree(next, 3);
        next.Runs.Take(3).Should().Equal(1, 1, 1);
    }
}
