namespace NeuralNet.Tests.TestSupport;

/// <summary>Measures managed allocations of the calling thread.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes the calling thread allocates while <paramref name="action"/> runs <paramref name="callsPerRound"/> times,
    /// the least over <paramref name="rounds"/> rounds. An allocation made on every call shows in every round; one-off
    /// work of the runtime (a method recompiled at a higher tier, a type loaded late) does not repeat, so it cannot
    /// make a test of "nothing per call" fail by chance.
    /// </summary>
    public static long LeastPerRound(Action action, int rounds = 3, int callsPerRound = 3)
    {
        long least = long.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerRound; i++)
            {
                action();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
