namespace NeuralNet.Schedules;

/// <summary>Exponential decay per epoch: <c>η(t) = η0 γ^⌊t⌋</c>.</summary>
public sealed class ExponentialSchedule : ILearningRateSchedule
{
    /// <summary>Creates an exponential schedule.</summary>
    /// <param name="gamma">Factor per epoch, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is out of range.</exception>
    public ExponentialSchedule(double gamma)
    {
        if (!(gamma > 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"gamma must be in (0, 1]. Received: gamma={gamma}");
        }

        Gamma = gamma;
    }

    /// <summary>Factor per epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, double progress) => baseRate * Math.Pow(Gamma, Math.Floor(progress));
}
