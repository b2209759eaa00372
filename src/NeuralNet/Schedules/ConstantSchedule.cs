namespace NeuralNet.Schedules;

/// <summary>The rate stays at its base value: <c>η(t) = η0</c>.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>The shared instance.</summary>
    public static ConstantSchedule Instance { get; } = new();

    private ConstantSchedule() { }

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, double progress) => baseRate;
}
