namespace NeuralNet;

/// <summary>
/// Keeps predictions consistent while a network trains: a prediction runs either wholly before or wholly after each
/// training step, never against weights that a step has half written. Training holds the gate exclusively from the
/// batch's forward pass to the end of its optimiser step (and while it restores weights); predictions hold it shared,
/// so any number of them run at once between steps. Neither side is tied to a thread, so a step policy may await.
/// </summary>
/// <remarks>
/// <para>A prediction that arrives during a step waits for the step to end (at most one batch); a step waits for the
/// predictions already running to finish, and new predictions wait behind a waiting step so they cannot starve it.
/// Waiting spins, then yields, then sleeps (<see cref="SpinWait"/>).</para>
/// <para>A prediction made on the training flow itself (the fit's own execution context, which follows its awaits:
/// a step policy calling <c>Predict</c>) never waits, since the step it would wait for is its caller; during a step it
/// sees the weights as the step has left them so far. The flag is set once per fit, so batches allocate nothing; the
/// loop reports progress with the flow suppressed, so handlers that <see cref="Progress{T}"/> posts to the thread pool
/// are ordinary readers. Only one fit may train a network at a time (<see cref="BeginTraining"/>).</para>
/// </remarks>
internal sealed class WeightGate
{
    private const int Writing = -1;

    private readonly AsyncLocal<bool> _trainingFlow = new();

    /// <summary>Predictions in flight (0 or more), or <see cref="Writing"/> during a step.</summary>
    private int _state;
    private int _writerWaiting;
    private int _training;

    /// <summary>Marks the network as being trained by one fit, and the calling flow as its training flow. Call from the
    /// fit's own async method, so the flow mark ends with it.</summary>
    /// <exception cref="InvalidOperationException">Another fit is training the network.</exception>
    public void BeginTraining()
    {
        if (Interlocked.CompareExchange(ref _training, 1, 0) != 0)
        {
            throw new InvalidOperationException("The network is already being trained by another Fit; train a network with one fit at a time (train copies in parallel, e.g. one per thread).");
        }

        _trainingFlow.Value = true;
    }

    /// <summary>Whether the caller is on the training flow of a running fit (its predictions never wait).</summary>
    public bool OnTrainingFlow => _trainingFlow.Value;

    /// <summary>Ends <see cref="BeginTraining"/>.</summary>
    public void EndTraining()
    {
        _trainingFlow.Value = false;
        Volatile.Write(ref _training, 0);
    }

    /// <summary>Waits until no step runs, then counts a prediction in; returns whether it was counted (false on the
    /// training flow, which never waits; pass the result to <see cref="ExitRead"/>).</summary>
    public bool EnterRead()
    {
        var spin = default(SpinWait);
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state >= 0 && Volatile.Read(ref _writerWaiting) == 0 && Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                return true;
            }

            if (state == Writing && OnTrainingFlow)
            {
                return false;
            }

            spin.SpinOnce();
        }
    }

    /// <summary>Counts a prediction out.</summary>
    public void ExitRead(bool counted)
    {
        if (counted)
        {
            Interlocked.Decrement(ref _state);
        }
    }

    /// <summary>Waits for running predictions to finish, then holds the gate for a step.</summary>
    public void EnterWrite()
    {
        Volatile.Write(ref _writerWaiting, 1);
        var spin = default(SpinWait);
        while (Interlocked.CompareExchange(ref _state, Writing, 0) != 0)
        {
            spin.SpinOnce();
        }

        Volatile.Write(ref _writerWaiting, 0);
    }

    /// <summary>Ends a step: predictions may run again.</summary>
    public void ExitWrite() => Volatile.Write(ref _state, 0);
}
