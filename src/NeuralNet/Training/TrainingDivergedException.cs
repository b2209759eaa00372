namespace NeuralNet.Training;

/// <summary>
/// Thrown by <see cref="Trainer{T}"/>.<c>Fit</c>
/// when the loss or a weight becomes NaN or infinite. The network is left with its last finite weights (those before
/// the failing step). The usual causes are a learning rate that is too high and inputs that are not scaled.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException()
        : base("Training diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TrainingDivergedException(int epoch, int batch, double loss, double learningRate, string what)
        : base($"Training diverged at epoch {epoch}, batch {batch}: {what} (loss {loss}). The network keeps its last finite weights. "
            + $"Likely causes: a learning rate too high for this problem (it was {learningRate}; try 10x smaller), inputs that are not scaled "
            + "(standardise features to zero mean and unit variance), or no gradient clipping (set GradientClipNorm).")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>The epoch in which training diverged, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The batch within that epoch, from 1.</summary>
    public int Batch { get; }

    /// <summary>The batch loss at that point (possibly NaN or infinite).</summary>
    public double Loss { get; }

    /// <summary>The learning rate of the failing step.</summary>
    public double LearningRate { get; }
}
