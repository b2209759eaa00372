namespace NeuralNet.Schedules;

/// <summary>
/// Linear warm-up then cosine annealing (Loshchilov and Hutter, 2017; Goyal et al., 2017): for <c>t &lt; w</c>,
/// <c>η(t) = η0 t / w</c> (so, as in most warm-up implementations, the very first batch has rate 0); after that <c>η(t) = ηmin + (η0 - ηmin) (1 + cos(π (t - w) / (T - w))) / 2</c>, and <c>ηmin</c>
/// once <c>t ≥ T</c>.
/// </summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates a cosine schedule.</summary>
    /// <param name="totalEpochs"><c>T</c>, the epoch at which the rate reaches <paramref name="minRate"/>.</param>
    /// <param name="warmupEpochs"><c>w</c>, epochs of linear warm-up (may be fractional), less than <c>T</c>.</param>
    /// <param name="minRate"><c>ηmin</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CosineSchedule(double totalEpochs, double warmupEpochs = 0, double minRate = 0)
    {
        ThrowHelper.ThrowIfNotPositive(totalEpochs, nameof(totalEpochs));
        ThrowHelper.ThrowIfNegativeOrNotFinite(warmupEpochs, nameof(warmupEpochs));
        ThrowHelper.ThrowIfNegativeOrNotFinite(minRate, nameof(minRate));
        if (warmupEpochs >= totalEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupEpochs), warmupEpochs, $"warmupEpochs must be less than totalEpochs ({totalEpochs}). Received: warmupEpochs={warmupEpochs}");
        }

        TotalEpochs = totalEpochs;
        WarmupEpochs = warmupEpochs;
        MinRate = minRate;
    }

    /// <summary><c>T</c>.</summary>
    public double TotalEpochs { get; }

    /// <summary><c>w</c>.</summary>
    public double WarmupEpochs { get; }

    /// <summary><c>ηmin</c>.</summary>
    public double MinRate { get; }

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, double progress)
    {
        if (progress < WarmupEpochs)
        {
            return baseRate * progress / WarmupEpochs;
        }

        if (progress >= TotalEpochs)
        {
            return MinRate;
        }

        double fraction = (progress - WarmupEpochs) / (TotalEpochs - WarmupEpochs);
        return MinRate + (baseRate - MinRate) * (1 + Math.Cos(Math.PI * fraction)) / 2;
    }
}
