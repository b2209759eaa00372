namespace NeuralNet.Training;

/// <summary>
/// The row-major copy of a fit's training rows (<see cref="BatchGatherer{T}"/>; 188 MB for 60,000 x 784 floats) lent
/// from one fit to the next, across trainers: a fit takes the buffer a finished fit gave back, if any, and gives its own
/// back when it ends. The copy is rewritten by every fit, so only the memory is reused, never its contents. Fresh memory
/// of that size is what a fit's set-up costs on a virtual machine: first touching 188 MB took 300 ms on one core of the
/// Zen 5 of docs/benchmarks.md (huge pages included), against 16-33 ms for a whole set-up that reused its buffer. A
/// buffer is held by at most one fit at a time (taken out under a lock), so concurrent fits never share one.
/// <para>The pool holds its buffer weakly: each trainer keeps the last buffer it gave back alive (as before the pool,
/// when only that trainer could reuse it), and once no trainer does, the garbage collector may take it.</para>
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class StagingBuffers<T> where T : unmanaged
{
    private static readonly Lock Gate = new();
    private static readonly WeakReference<T[]?> Free = new(null);

    /// <summary>Takes the buffer a finished fit gave back, or null when there is none (a fit is using it, none was
    /// given back yet, or it was collected).</summary>
    public static T[]? Take()
    {
        lock (Gate)
        {
            if (!Free.TryGetTarget(out T[]? buffer))
            {
                return null;
            }

            Free.SetTarget(null);
            return buffer;
        }
    }

    /// <summary>Gives back the buffer of a finished fit; of two given back while neither was taken, the larger stays.</summary>
    /// <returns>Whether the pool kept <paramref name="buffer"/>.</returns>
    public static bool Return(T[] buffer)
    {
        lock (Gate)
        {
            if (Free.TryGetTarget(out T[]? held) && held is not null && held.LongLength >= buffer.LongLength)
            {
                return false;
            }

            Free.SetTarget(buffer);
            return true;
        }
    }
}
