using System.Diagnostics;

namespace NeuralNet.Kernels;

/// <summary>Work that a caller and one optional helper share by claiming pieces until none is left.</summary>
internal interface ISharedGemmWork
{
    /// <summary>Claims and computes pieces until none is left: from the front for the caller, from the back for the helper.</summary>
    void Run(bool helper);
}

/// <summary>
/// One helper thread that may join the caller's product, without the caller ever waiting for it to wake. The caller
/// opens the work, claims pieces itself, then closes it and waits only for a helper already inside (which then has at
/// most one piece left to finish). A helper that wakes late, when another job holds the second core, finds the work
/// closed and touches nothing, so the caller runs at one-thread speed instead of waiting for the scheduler.
/// </summary>
/// <remarks>
/// Close and join follow Dekker's pattern with full fences on both sides: the caller writes <c>open = 0</c> then reads
/// <c>inside</c>; the helper increments <c>inside</c> then reads <c>open</c>. Either the caller sees the helper inside
/// and waits, or the helper sees the work closed and leaves. One shared product runs at a time; a caller that finds
/// the helper busy runs its product alone (the results are the same either way).
/// </remarks>
internal static class GemmHelper
{
    private static readonly object Gate = new();

    /// <summary>How long the idle helper polls for new work before it blocks on <see cref="Start"/>.</summary>
    private const long HotMicroseconds = 100;
    private static readonly ManualResetEventSlim Start = new(false, 0);
    private static Thread? s_thread;
    private static ISharedGemmWork? s_work;
    private static Exception? s_error;
    private static int s_generation;

    /// <summary>Generation of the work the helper may join; 0 when closed.</summary>
    private static int s_open;

    /// <summary>1 while the helper is inside the open work.</summary>
    private static int s_inside;

    /// <summary>Runs <paramref name="work"/> on the caller, with the helper's help when it comes in time; false (nothing
    /// run) if another shared product is running.</summary>
    public static bool TryRun(ISharedGemmWork work)
    {
        if (!Monitor.TryEnter(Gate))
        {
            return false;
        }

        try
        {
            if (s_thread is null)
            {
                s_thread = new Thread(HelperLoop) { IsBackground = true, Name = "NeuralNet GEMM row helper" };
                s_thread.Start();
            }

            int generation = s_generation = s_generation == int.MaxValue ? 1 : s_generation + 1;
            s_work = work;
            s_error = null;
            Volatile.Write(ref s_open, generation);
            Start.Set();

            Exception? own = null;
            try
            {
                work.Run(helper: false);
            }
            catch (Exception e)
            {
                own = e;
            }

            Interlocked.Exchange(ref s_open, 0);
            var spin = default(SpinWait);
            while (Volatile.Read(ref s_inside) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            s_work = null;
            Exception? error = own ?? s_error;
            if (error is not null)
            {
                throw new AggregateException("A GEMM part failed.", error);
            }

            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void HelperLoop()
    {
        long hotTicks = Stopwatch.Frequency * HotMicroseconds / 1_000_000;
        int joined = 0;
        while (true)
        {
            // Poll the generation for a while before blocking: the products of one prediction come a microsecond
            // apart, and an event's wake-up takes longer than the whole product.
            int generation = Volatile.Read(ref s_open);
            long deadline = Stopwatch.GetTimestamp() + hotTicks;
            while ((generation == 0 || generation == joined) && Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(4);
                generation = Volatile.Read(ref s_open);
            }

            if (generation == 0 || generation == joined)
            {
                Start.Wait();

                // Reset before reading the generation: a caller that opens new work after this sets the event again.
                Start.Reset();
                generation = Volatile.Read(ref s_open);
                if (generation == 0 || generation == joined)
                {
                    continue;
                }
            }

            joined = generation;
            Interlocked.Increment(ref s_inside);
            try
            {
                if (Volatile.Read(ref s_open) == generation)
                {
                    s_work!.Run(helper: true);
                }
            }
            catch (Exception e)
            {
                s_error = e;
            }
            finally
            {
                Interlocked.Decrement(ref s_inside);
            }
        }
    }
}
