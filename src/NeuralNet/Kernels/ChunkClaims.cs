namespace NeuralNet.Kernels;

/// <summary>
/// Chunks <c>0 .. n-1</c> of a split piece of work (<see cref="ParallelGemm{T}"/>), claimed one at a time by the threads that run it: the first
/// thread from the front, the last from the back, until none is left. Claimed from the two ends, each thread keeps to
/// its side of the data from one call to the next (its caches hold what it touched last time), and the boundary moves
/// only by the difference in the threads' speeds, which on a shared machine changes from moment to moment. The chunks
/// not yet claimed are <c>[front, back)</c>, kept in one word as <c>front | back &lt;&lt; 32</c>, so that one
/// compare-and-swap claims a chunk from either end.
/// </summary>
internal struct ChunkClaims
{
    private long _unclaimed;

    /// <summary>Makes chunks <c>0 .. chunks-1</c> claimable (call before the threads start).</summary>
    public void Reset(int chunks) => _unclaimed = (long)chunks << 32;

    /// <summary>The next unclaimed chunk from the back or the front, or -1 when none is left.</summary>
    public int Claim(bool fromBack)
    {
        while (true)
        {
            long state = Volatile.Read(ref _unclaimed);
            int front = (int)state, back = (int)(state >> 32);
            if (front >= back)
            {
                return -1;
            }

            long next = fromBack ? (uint)front | ((long)(back - 1) << 32) : (uint)(front + 1) | ((long)back << 32);
            if (Interlocked.CompareExchange(ref _unclaimed, next, state) == state)
            {
                return fromBack ? back - 1 : front;
            }
        }
    }
}
