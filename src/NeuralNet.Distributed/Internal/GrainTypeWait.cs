namespace NeuralNet.Distributed.Internal;

/// <summary>
/// Waits until a client can resolve a grain interface to an implementation. A client starts with the cluster manifest
/// that its gateway returns first; a gateway that has only just joined may return one without itself or its peers in
/// it, and the client then answers every <c>GetGrain</c> with <see cref="ArgumentException"/> ("Could not find an
/// implementation for interface ...") until its next manifest refresh. The job's first <c>GetGrain</c> retries through
/// that window instead of failing the job.
/// </summary>
internal static class GrainTypeWait
{
    /// <summary>Pause between attempts.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs <paramref name="resolve"/> (a <c>GetGrain</c>, which sends nothing) until it stops throwing
    /// <see cref="ArgumentException"/>, for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="InvalidOperationException">Still unresolved after <paramref name="timeout"/>; the last
    /// <see cref="ArgumentException"/> is the inner exception.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task UntilResolvedAsync(Action resolve, string grainInterface, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                resolve();
                return;
            }
            catch (ArgumentException e)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new InvalidOperationException($"The client's cluster manifest still lists no implementation of {grainInterface} after {timeout.TotalSeconds:0.#} s (RecoveryTimeout): is a silo with the training grains running?", e);
                }
            }

            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
