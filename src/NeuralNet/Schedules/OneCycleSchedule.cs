namespace NeuralNet.Schedules;

/// <summary>
/// The one-cycle policy (Smith and Topin, 2019) with PyTorch's <c>OneCycleLR</c> rule (<c>anneal_strategy='cos'</c>,
/// <c>three_phase=False</c>), step by step: with the optimiser's rate as the peak <c>η_max</c>,
/// <c>η_0 = η_max / divFactor</c>, <c>η_min = η_0 / finalDivFactor</c>, <c>N = epochs · stepsPerEpoch</c> steps and
/// <c>e = pctStart · N - 1</c>, the rate of step <c>s</c> (0-based) is
/// <c>cos_anneal(η_0, η_max, s / e)</c> for <c>s ≤ e</c> and <c>cos_anneal(η_max, η_min, (s - e) / (N - 1 - e))</c>
/// after, where <c>cos_anneal(a, b, p) = b + (a - b)(1 + cos(π p)) / 2</c>. Steps past <c>N - 1</c> keep <c>η_min</c>
/// (PyTorch raises an error there).
/// </summary>
/// <remarks>
/// The trainer asks for the rate with the progress in epochs (<c>epoch + batch / batches</c>); the step is that times
/// <see cref="StepsPerEpoch"/>, rounded, so give the number of batches per epoch, as PyTorch's <c>steps_per_epoch</c>.
/// PyTorch also cycles the momentum (Adam's β1) between 0.85 and 0.95 by default; this schedule sets only the rate,
/// which is PyTorch's <c>cycle_momentum=False</c>. When <c>e ≤ 0</c> (at most <c>1 / pctStart</c> steps) there is no
/// rise and the decay starts at <c>η_max</c>, as in PyTorch for <c>e &lt; 0</c> (at <c>e = 0</c> PyTorch divides by zero).
/// </remarks>
public sealed class OneCycleSchedule : ILearningRateSchedule
{
    /// <summary>Creates a one-cycle schedule.</summary>
    /// <param name="epochs">Epochs of the cycle, at least 1.</param>
    /// <param name="stepsPerEpoch">Batches per epoch, at least 1 (PyTorch's <c>steps_per_epoch</c>).</param>
    /// <param name="pctStart">Fraction of the steps spent rising, in (0, 1) (PyTorch's default 0.3).</param>
    /// <param name="divFactor"><c>η_max / η_0</c>, at least 1 (PyTorch's default 25).</param>
    /// <param name="finalDivFactor"><c>η_0 / η_min</c>, at least 1 (PyTorch's default 10⁴).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public OneCycleSchedule(int epochs, int stepsPerEpoch, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        ThrowHelper.ThrowIfNotPositive(epochs, nameof(epochs));
        ThrowHelper.ThrowIfNotPositive(stepsPerEpoch, nameof(stepsPerEpoch));
        if (!(pctStart > 0 && pctStart < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"pctStart must be in (0, 1). Received: pctStart={pctStart}");
        }

        ThrowIfNotFiniteFactor(divFactor, nameof(divFactor));
        ThrowIfNotFiniteFactor(finalDivFactor, nameof(finalDivFactor));
        Epochs = epochs;
        StepsPerEpoch = stepsPerEpoch;
        PctStart = pctStart;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
    }

    /// <summary>Epochs of the cycle.</summary>
    public int Epochs { get; }

    /// <summary>Batches per epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Fraction of the steps spent rising.</summary>
    public double PctStart { get; }

    /// <summary><c>η_max / η_0</c>.</summary>
    public double DivFactor { get; }

    /// <summary><c>η_0 / η_min</c>.</summary>
    public double FinalDivFactor { get; }

    /// <summary><c>N</c>, the steps of the cycle.</summary>
    public long TotalSteps => (long)Epochs * StepsPerEpoch;

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, double progress)
    {
        double initial = baseRate / DivFactor, min = initial / FinalDivFactor;
        double last = TotalSteps - 1, riseEnd = PctStart * TotalSteps - 1;
        double step = Math.Min(Math.Max(0, Math.Round(progress * StepsPerEpoch)), last);
        if (riseEnd > 0 && step <= riseEnd)
        {
            return Anneal(initial, baseRate, step / riseEnd);
        }

        // e < N - 1 always (pctStart < 1), so the decay has a positive length; a one-step cycle gives p = 1, η_min.
        return Anneal(baseRate, min, (step - riseEnd) / (last - riseEnd));
    }

    private static void ThrowIfNotFiniteFactor(double value, string paramName)
    {
        if (!(value >= 1) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be finite and at least 1. Received: {paramName}={value}");
        }
    }

    /// <summary><c>b + (a - b)(1 + cos(π p)) / 2</c>: <c>a</c> at <c>p = 0</c>, <c>b</c> at <c>p = 1</c>.</summary>
    private static double Anneal(double start, double end, double pct) => end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1);
}
