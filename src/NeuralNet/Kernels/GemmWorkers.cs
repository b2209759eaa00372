using System.Diagnostics;

namespace NeuralNet.Kernels;

/// <summary>A piece of work split into numbered parts; part 0 runs on the caller, the others on the workers.</summary>
internal interface IGemmWork
{
    void Run(int part);
}

/// <summary>
/// A small pool of dedicated threads for the GEMM. Parallel.For would allocate per call; these threads wait on
/// their own counters and events and are signalled without allocation, so a training step stays allocation-free.
/// One parallel product runs at a time; a caller that finds the pool busy runs its product on its own thread
/// (the results are the same either way).
/// <para>
/// A waiting thread (a worker between dispatches, the caller waiting for the workers) first watches a counter with
/// <c>pause</c> instructions alone (<see cref="Thread.SpinWait"/>) for up to <see cref="HotSpinMicroseconds"/>, then
/// spins the runtime's way, which yields the core, and finally blocks. The products of a training step come
/// microseconds apart, but a <c>sched_yield</c> on a virtual machine is a system call through the hypervisor, and a
/// worker inside one when its work arrives starts late: with the runtime's spinning alone, one-epoch fits on the Zen 5
/// of docs/benchmarks.md took 1.03-1.05x as long and the dense forward 1.08x.
/// </para>
/// </summary>
internal static class GemmWorkers
{
    private static readonly object Gate = new();
    private static readonly List<Worker> Workers = [];

    /// <summary>Spin iterations before a waiting worker blocks, after the hot spin (ManualResetEventSlim caps it at 2047).</summary>
    private const int SpinCount = 2000;

    /// <summary>Spin iterations of the caller waiting for the other parts before it blocks (see <see cref="AwaitWorkers"/>).</summary>
    private const int DoneSpinCount = 20_000;

    /// <summary>How long a waiting thread spins on <c>pause</c> alone before it starts yielding the core.</summary>
    private const int HotSpinMicroseconds = 100;

    private static readonly long HotSpinTicks = Math.Max(1, Stopwatch.Frequency * HotSpinMicroseconds / 1_000_000);
    private static readonly CountdownEvent Done = new(0);
    private static IGemmWork? s_work;
    private static Exception? s_error;

    /// <summary>When the last dispatch finished (<see cref="Stopwatch.GetTimestamp"/>), 0 before the first.</summary>
    private static long s_lastDone;

    /// <summary>
    /// Whether the workers are surely still in their <c>pause</c> spin, so that a dispatch now reaches them within a
    /// fraction of a microsecond: the last dispatch finished less than half the spin's length ago (each worker started
    /// spinning when it finished its part, before that). A product a few microseconds long is worth splitting only
    /// then; a worker that has gone to sleep takes about 9 µs to wake on the Zen 5 of docs/benchmarks.md.
    /// </summary>
    public static bool WorkersSpinning
    {
        get
        {
            long last = Volatile.Read(ref s_lastDone);
            return last != 0 && Stopwatch.GetTimestamp() - last < HotSpinTicks / 2;
        }
    }

    /// <summary>Runs parts <c>0 .. parts-1</c> of <paramref name="work"/> at once; false (nothing run) if the pool is busy.</summary>
    public static bool TryRun(IGemmWork work, int parts)
    {
        if (!Monitor.TryEnter(Gate))
        {
            return false;
        }

        try
        {
            while (Workers.Count < parts - 1)
            {
                var worker = new Worker(Workers.Count + 1);
                Workers.Add(worker);
                new Thread(worker.Loop) { IsBackground = true, Name = $"NeuralNet GEMM worker {worker.Part}" }.Start();
            }

            s_work = work;
            s_error = null;
            Done.Reset(parts - 1);
            for (int i = 0; i < parts - 1; i++)
            {
                Workers[i].Dispatch();
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
            Volatile.Write(ref s_lastDone, Stopwatch.GetTimestamp());
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
    /// Waits for the other parts. The caller spins (on <c>pause</c>, then yielding, never sleeping) before it blocks: the
    /// parts are balanced, so the others finish within microseconds of part 0, while a blocked caller is woken only after
    /// a futex wake-up, which costs tens of microseconds and more on a virtual machine (2-4% of a 256-128 epoch on a Zen 3
    /// VM, see docs/benchmarks.md, "Zen 3 figures").
    /// </summary>
    private static void AwaitWorkers()
    {
        long start = Stopwatch.GetTimestamp();
        while (!Done.IsSet && Stopwatch.GetTimestamp() - start < HotSpinTicks)
        {
            Thread.SpinWait(8);
        }

        SpinWait spinner = default;
        for (int i = 0; i < DoneSpinCount && !Done.IsSet; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        Done.Wait();
    }

    /// <summary>One worker thread: it runs part <see cref="Part"/> of each dispatch counted in its own counter.</summary>
    private sealed class Worker(int part)
    {
        private readonly ManualResetEventSlim _start = new(false, SpinCount);

        /// <summary>Dispatches handed to this worker; written by the caller only (under the gate).</summary>
        private int _dispatches;

        public int Part { get; } = part;

        /// <summary>Hands the current work to this worker: counts it, then sets the event for a worker that may be
        /// blocked (Set costs a system call only when a thread waits on it).</summary>
        public void Dispatch()
        {
            Interlocked.Increment(ref _dispatches);
            _start.Set();
        }

        public void Loop()
        {
            // The caller waits for each dispatch to finish before the next, so the counter is at most one ahead.
            int done = 0;
            while (true)
            {
                AwaitDispatch(done);
                done++;
                try
                {
                    s_work!.Run(Part);
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

        /// <summary>Returns once the counter has passed <paramref name="done"/>: spinning on <c>pause</c> for up to
        /// <see cref="HotSpinTicks"/>, then on the event (which spins, yields and blocks).</summary>
        private void AwaitDispatch(int done)
        {
            long began = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _dispatches) == done)
            {
                if (Stopwatch.GetTimestamp() - began >= HotSpinTicks)
                {
                    // Reset, then look again, then wait: a dispatch after the look sets the event, and one before it
                    // raised the counter first (Reset is an interlocked operation, so the look cannot move before it).
                    while (true)
                    {
                        _start.Reset();
                        if (Volatile.Read(ref _dispatches) != done)
                        {
                            return;
                        }

                        _start.Wait();
                    }
                }

                Thread.SpinWait(8);
            }
        }
    }
}
