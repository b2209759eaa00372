namespace NeuralNet.Schedules;

/// <summary>
/// Multiplies the rate by <see cref="Factor"/> when the monitored value (validation loss, or training loss without a
/// validation set) has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs, never going
/// below <see cref="MinRate"/> (Keras' <c>ReduceLROnPlateau</c>). Stateful: one instance per training run; its state
/// (best value, epochs waited, <see cref="Scale"/>) goes into checkpoints through <see cref="ExportState"/>.
/// </summary>
public sealed class ReduceOnPlateau : ILearningRateSchedule
{
    private double _best = double.PositiveInfinity;
    private int _wait;

    /// <summary>Creates the schedule.</summary>
    /// <param name="factor">Multiplier at each reduction, in (0, 1).</param>
    /// <param name="patience">Epochs without improvement before a reduction.</param>
    /// <param name="minDelta">Smallest decrease that counts as an improvement.</param>
    /// <param name="minRate">Floor of the rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ReduceOnPlateau(double factor = 0.1, int patience = 10, double minDelta = 1e-4, double minRate = 0)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be in (0, 1). Received: factor={factor}");
        }

        ThrowHelper.ThrowIfNotPositive(patience, nameof(patience));
        ThrowHelper.ThrowIfNegativeOrNotFinite(minDelta, nameof(minDelta));
        ThrowHelper.ThrowIfNegativeOrNotFinite(minRate, nameof(minRate));
        Factor = factor;
        Patience = patience;
        MinDelta = minDelta;
        MinRate = minRate;
    }

    /// <summary>Multiplier per reduction.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Smallest improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Floor of the rate.</summary>
    public double MinRate { get; }

    /// <summary>The product of the reductions so far (1 before any).</summary>
    public double Scale { get; private set; } = 1.0;

    /// <inheritdoc />
    public double GetLearningRate(double baseRate, double progress) => Math.Max(MinRate, baseRate * Scale);

    /// <inheritdoc />
    public void OnEpochEnd(int epoch, double monitored)
    {
        if (monitored < _best - MinDelta)
        {
            _best = monitored;
            _wait = 0;
            return;
        }

        if (++_wait >= Patience)
        {
            Scale *= Factor;
            _wait = 0;
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        _best = double.PositiveInfinity;
        _wait = 0;
        Scale = 1.0;
    }

    /// <summary>The state as <c>[best, wait, scale]</c>: the best monitored value so far (<c>+∞</c> before the first
    /// epoch), the epochs since it without improvement, and <see cref="Scale"/>.</summary>
    /// <returns>A fresh three-element list.</returns>
    public IReadOnlyList<double> ExportState() => [_best, _wait, Scale];

    /// <summary>Restores a state from <see cref="ExportState"/>.</summary>
    /// <param name="state"><c>[best, wait, scale]</c>: best not NaN nor <c>-∞</c>, wait a non-negative integer, scale
    /// finite in (0, 1].</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="state"/> does not have three values or one is out of range;
    /// the schedule is left unchanged.</exception>
    public void ImportState(IReadOnlyList<double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 3)
        {
            throw new ArgumentException($"ReduceOnPlateau state is [best, wait, scale]; received {state.Count} values.", nameof(state));
        }

        double best = state[0], wait = state[1], scale = state[2];
        if (double.IsNaN(best) || double.IsNegativeInfinity(best))
        {
            throw new ArgumentException($"ReduceOnPlateau best value must be a number or +infinity. Received: best={best}", nameof(state));
        }

        if (!(wait >= 0 && wait <= int.MaxValue && wait == Math.Floor(wait)))
        {
            throw new ArgumentException($"ReduceOnPlateau wait must be a non-negative integer. Received: wait={wait}", nameof(state));
        }

        if (!(double.IsFinite(scale) && scale > 0 && scale <= 1))
        {
            throw new ArgumentException($"ReduceOnPlateau scale must be finite in (0, 1]. Received: scale={scale}", nameof(state));
        }

        _best = best;
        _wait = (int)wait;
        Scale = scale;
    }
}
