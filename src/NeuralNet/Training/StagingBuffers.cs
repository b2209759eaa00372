namespace NeuralNet.Training;

/// <summary>
/// The row-major copies of fits' training rows (<see cref="BatchGatherer{T}"/>; 188 MB for 60,000 x 784 floats) lent
/// from one fit to the next, across trainers: a fit takes a buffer a finished fit gave back, if one fits, and gives its
/// own back when it ends. The copy is rewritten by every fit, so only the memory is reused, never its contents. Fresh
/// memory of that size is what a fit's set-up costs on a virtual machine: a new trainer's set-up took 269-366 ms on
/// fresh memory and 15-43 ms on a reused buffer on the Zen 5 of docs/benchmarks.md (<c>--setup-alternate</c>). A
/// buffer is held by at most one fit at a time (taken out under a lock), so concurrent fits never share one.
/// <para>The pool holds at most <see cref="Capacity"/> buffers, weakly: each trainer keeps the last buffer it gave back
/// alive (as before the pool, when only that trainer could reuse it), and once no trainer does, the garbage collector
/// may take it. A fit takes the smallest buffer that holds its rows and is at most twice what it needs, so a small fit
/// never keeps a large buffer alive.</para>
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class StagingBuffers<T> where T : unmanaged
{
    /// <summary>Buffers kept for reuse at most (the oldest is let go first).</summary>
    internal const int Capacity = 4;

    private static readonly Lock Gate = new();
    private static readonly List<WeakReference<T[]>> Free = new(Capacity + 1);

    /// <summary>Takes the smallest buffer given back by a finished fit that holds <paramref name="length"/> values and
    /// at most twice as many, or null when there is none.</summary>
    public static T[]? Take(long length)
    {
        lock (Gate)
        {
            int best = -1;
            T[]? taken = null;
            for (int i = 0; i < Free.Count; i++)
            {
                if (Free[i].TryGetTarget(out T[]? buffer) && buffer.LongLength >= length && buffer.LongLength <= 2 * length
                    && (taken is null || buffer.LongLength < taken.LongLength))
                {
                    best = i;
                    taken = buffer;
                }
            }

            if (best >= 0)
            {
                Free.RemoveAt(best);
            }

            return taken;
        }
    }

    /// <summary>Lets go of every buffer (tests start from an empty pool).</summary>
    internal static void Clear()
    {
        lock (Gate)
        {
            Free.Clear();
        }
    }

    /// <summary>Gives back the buffer of a finished fit, letting go of collected buffers and of the oldest beyond
    /// <see cref="Capacity"/>.</summary>
    public static void Return(T[] buffer)
    {
        lock (Gate)
        {
            Free.RemoveAll(static entry => !entry.TryGetTarget(out _));
            Free.Add(new WeakReference<T[]>(buffer));
            if (Free.Count > Capacity)
            {
                Free.RemoveAt(0);
            }
        }
    }
}
