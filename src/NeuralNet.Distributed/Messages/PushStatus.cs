namespace NeuralNet.Distributed.Messages;

/// <summary>What a shard did with a push.</summary>
public enum PushStatus
{
    /// <summary>Taken: stored for the step's barrier (synchronous) or applied (asynchronous).</summary>
    Accepted = 0,

    /// <summary>Asynchronous mode: computed on a version more than the staleness bound behind; pull and recompute.</summary>
    Stale = 1,

    /// <summary>Synchronous mode: the step was already applied (the barrier timed out without this part).</summary>
    Late = 2,

    /// <summary>Refused by the guard: wrong job, wrong length, a NaN or infinity, or an impossible worker index.</summary>
    Refused = 3,
}
