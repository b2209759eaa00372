namespace NeuralNet.Training;

/// <summary>Why a fit ended.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>Early stopping ended it.</summary>
    EarlyStopped,

    /// <summary>The cancellation token was signalled; the last epoch may be partial.</summary>
    Cancelled,
}
