namespace NeuralNet.Schedules;

/// <summary>Step decay: <c>η(t) = η0 γ^⌊t / stepEpochs⌋</c>, the rate multiplied by <c>γ</c> every <c>stepEpochs</c> epochs.</summary>
public sealed class StepSchedule : ILearningRateSchedule
{
    /// <summary>Creates a step schedule.</summary>
    /// <param name="stepEpochs">Epochs between drops.</param>
    /// <param name="gamma">Factor applied at each drop, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepSchedule(int stepEpochs, double gamma = 0.1)
    {
        ThrowHelper.ThrowIfNotPositive(stepEpochs, nameof(stepEpochs));
        if (!(gamma > 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"gamma must be in (0, 1]. Received: gamma={gamma}");
        }

        StepEpochs = stepEpochs;
        Gamma = gamma;
    }

    /// <summary>Epochs between drops.</summary>
    public int StepEpochs { get; }

    /// <summary>Factor per drop.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, double progress) => baseRate * Math.Pow(Gamma, Math.Floor(progress / StepEpochs));
}
