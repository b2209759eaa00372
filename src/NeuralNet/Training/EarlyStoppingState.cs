namespace NeuralNet.Training;

/// <summary>
/// The progress of early stopping after some epoch: the best epoch so far, its monitored value, the epochs waited
/// since, and (with <see cref="EarlyStoppingOptions.RestoreBestWeights"/>) the network's weights at the best epoch.
/// Read it from <see cref="Trainer{T}.EarlyStoppingState"/>, save it with a checkpoint, and pass it back to
/// <see cref="Trainer{T}.Fit(Network{T}, MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T}?, MathNet.Numerics.LinearAlgebra.Matrix{T}?, IProgress{EpochReport}?, Action{BatchReport}?, int, CancellationToken, EarlyStoppingState?)"/>
/// to resume with the counting where it was.
/// </summary>
/// <remarks>
/// A class rather than a record: the weights are a copy owned by the instance, and record equality would compare
/// them by reference. Every epoch after the best one failed to improve, so after epoch <c>e</c>,
/// <c>Wait = e - BestEpoch</c>.
/// </remarks>
public sealed class EarlyStoppingState
{
    private readonly double[]? _bestWeights;

    /// <summary>Creates a state; <paramref name="bestWeights"/> is copied.</summary>
    /// <param name="bestEpoch">The epoch (from 1) with the best monitored value.</param>
    /// <param name="bestValue">Its monitored value (may be non-finite if the monitored value was).</param>
    /// <param name="wait">Epochs since the best one without improvement, at least 0.</param>
    /// <param name="bestWeights">The network at the best epoch as doubles: every value of
    /// <see cref="Network{T}.Parameters"/> in order, then every layer's <c>Buffers</c> in layer order; null when the
    /// best weights are not kept.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bestEpoch"/> is below 1 or <paramref name="wait"/>
    /// is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="bestWeights"/> holds a non-finite value.</exception>
    public EarlyStoppingState(int bestEpoch, double bestValue, int wait, IReadOnlyList<double>? bestWeights = null)
        : this(bestEpoch, bestValue, wait, Copy(bestWeights))
    {
    }

    /// <summary>Takes ownership of <paramref name="bestWeights"/>.</summary>
    internal EarlyStoppingState(int bestEpoch, double bestValue, int wait, double[]? bestWeights)
    {
        if (bestEpoch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bestEpoch), bestEpoch, $"bestEpoch must be at least 1. Received: bestEpoch={bestEpoch}");
        }

        if (wait < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, $"wait must be non-negative. Received: wait={wait}");
        }

        BestEpoch = bestEpoch;
        BestValue = bestValue;
        Wait = wait;
        _bestWeights = bestWeights;
    }

    /// <summary>The epoch (from 1) with the best monitored value.</summary>
    public int BestEpoch { get; }

    /// <summary>The best monitored value.</summary>
    public double BestValue { get; }

    /// <summary>Epochs since <see cref="BestEpoch"/> without improvement.</summary>
    public int Wait { get; }

    /// <summary>The network's parameters then buffers at <see cref="BestEpoch"/>, or null when the best weights are not
    /// kept (<see cref="EarlyStoppingOptions.RestoreBestWeights"/> off).</summary>
    public IReadOnlyList<double>? BestWeights => _bestWeights;

    /// <summary>The weights as a span, for the trainer and the checkpoint writer.</summary>
    internal ReadOnlySpan<double> BestWeightsSpan => _bestWeights;

    private static double[]? Copy(IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            return null;
        }

        var copy = new double[values.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = values[i];
            if (!double.IsFinite(copy[i]))
            {
                throw new ArgumentException($"bestWeights[{i}] is {copy[i]}; weights must be finite.", "bestWeights");
            }
        }

        return copy;
    }
}
