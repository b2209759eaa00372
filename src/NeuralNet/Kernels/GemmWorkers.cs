namespace NeuralNet.Kernels;

/// <summary>A piece of work split into numbered parts; part 0 runs on the caller, the others on the workers.</summary>
internal interface IGemmWork
{
    void Run(int part);
}

/// <summary>
/// A small pool of dedicated threads for the GEMM. Parallel.For would allocate per call; these threads wait on
/// their own events and are signalled without allocation, so a training step stays allocation-free. A waiting
/// worker spins briefly before it sleeps: the products of a training step come microseconds apart, and waking a
/// sleeping thread costs tens of microseconds, a sizeable share of a 0.3 ms product.
/// One parallel product runs at a time; a caller that finds the pool busy runs its product on its own thread
/// (the results are the same either way).
/// </summary>
internal static class GemmWorkers
{
    private static readonly object Gate = new();
    private static readonly List<ManualResetEventSlim> Starts = [];

    /// <summary>Spin iterations before a waiting worker blocks (ManualResetEventSlim caps it at 2047).</summary>
    private const int SpinCount = 2000;

    /// <summary>Spin iterations of the caller waiting for the other parts before it blocks (see <see cref="AwaitWorkers"/>).</summary>
    private const int DoneSpinCount = 20_000;
    private static readonly CountdownEvent Done = new(0);
    private static IGemmWork? s_work;
    private static Exception? s_error;

    /// <summary>Runs parts <c>0 .. parts-1</c> of <paramref name="work"/> at once; false (nothing run) if the pool is busy.</summary>
    public static bool TryRun(IGemmWork work, int parts)
    {
        if (!Monitor.TryEnter(Gate))
        {
            return false;
        }

        try
        {
            while (Starts.Count < parts - 1)
            {
                var start = new ManualResetEventSlim(false, SpinCount);
                int index = Starts.Count;
                Starts.Add(start);
                var thread = new Thread(() => WorkerLoop(start, index + 1))
                {
                    IsBackground = true,
                    Name = $"NeuralNet GEMM worker {index + 1}",
                };
                thread.Start();
            }

            s_work = work;
            s_error = null;
            Done.Reset(parts - 1);
            for (int i = 0; i < parts - 1; i++)
            {
                Starts[i].Set();
            }

            Exception? own = null;
            try
            {
                work.Run(0);
            }
            catch (Exception e)
            {
                own = e;
            }

            AwaitWorkers();
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

    /// <summary>
    /// Waits for the other parts. The caller spins (yielding, never sleeping) before it blocks: the parts are balanced,
    /// so the others finish within microseconds of part 0, while a blocked caller is woken only after a futex wake-up,
    /// which costs tens of microseconds and more on a virtual machine (2-4% of a 256-128 epoch on a Zen 3 VM, see
    /// docs/benchmarks.md, "Zen 3 figures").
    /// </summary>
    private static void AwaitWorkers()
    {
        SpinWait spinner = default;
        for (int i = 0; i < DoneSpinCount && !Done.IsSet; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        Done.Wait();
    }

    private static void WorkerLoop(ManualResetEventSlim start, int part)
    {
        while (true)
        {
            start.Wait();

            // Reset before signalling Done: the caller sets the event again only after Done completes.
            start.Reset();
            try
            {
                s_work!.Run(part);
            }
            catch (Exception e)
            {
                s_error = e;
            }
            finally
            {
                Done.Signal();
            }
        }
    }
}
