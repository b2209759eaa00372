using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Early stopping's bookkeeping across the epochs of one fit: the best epoch, its monitored value, the epochs waited
/// since, and (with <see cref="EarlyStoppingOptions.RestoreBestWeights"/>) a copy of the best weights in the flat state
/// layout. Updated at the end of every epoch, before the epoch is reported.
/// </summary>
internal sealed class EarlyStoppingTracker<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly EarlyStoppingOptions? _options;
    private readonly bool _higherIsBetter;

    public EarlyStoppingTracker(EarlyStoppingOptions? options, bool higherIsBetter, int stateLength)
    {
        _options = options;
        _higherIsBetter = higherIsBetter;
        Best = options is { RestoreBestWeights: true } ? new T[stateLength] : null;
        BestValue = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The best weights (full state), or null when they are not kept.</summary>
    public T[]? Best { get; }

    public double BestValue { get; private set; }

    public int? BestEpoch { get; private set; }

    public int Wait { get; private set; }

    /// <summary>Carries on from a saved state (a resumed run).</summary>
    public void Resume(EarlyStoppingState state, TrainingHistory history)
    {
        BestValue = state.BestValue;
        BestEpoch = state.BestEpoch;
        Wait = state.Wait;
        history.BestEpoch = state.BestEpoch;
        history.BestValue = state.BestValue;
        if (Best is not null)
        {
            ReadOnlySpan<double> weights = state.BestWeightsSpan;
            for (int i = 0; i < Best.Length; i++)
            {
                Best[i] = T.CreateTruncating(weights[i]); // exact for weights that came from T
            }
        }
    }

    /// <summary>Records the epoch's monitored value; returns true when patience has run out.</summary>
    public bool Update(EpochReport report, Network<T> network, TrainingHistory history)
    {
        if (_options is not { } early)
        {
            return false;
        }

        double value = Monitored(report, early.Monitor);
        bool improved = _higherIsBetter ? value > BestValue + early.MinDelta : value < BestValue - early.MinDelta;
        if (improved || BestEpoch is null)
        {
            BestValue = value;
            BestEpoch = report.Epoch;
            history.BestEpoch = report.Epoch;
            history.BestValue = value;
            Wait = 0;
            if (Best is not null)
            {
                network.ParameterSet.CopyStateTo(Best);
            }

            return false;
        }

        if (early.BestFollowsEveryImprovement && (_higherIsBetter ? value > BestValue : value < BestValue))
        {
            // scikit-learn: best_loss_ = min(best_loss_, loss) even when the gain is under tol, and the stall still counts.
            BestValue = value;
            history.BestValue = value;
        }

        return ++Wait >= early.Patience;
    }

    /// <summary>Puts the best weights back, when they are kept and an epoch was best.</summary>
    public void RestoreBest(Network<T> network, TrainingHistory history)
    {
        if (Best is not null && history.BestEpoch is not null)
        {
            network.ParameterSet.SetState(Best);
        }
    }

    /// <summary>A copy, or null before the first epoch (or when early stopping is off).</summary>
    public EarlyStoppingState? ToState()
    {
        if (BestEpoch is not { } bestEpoch)
        {
            return null;
        }

        double[]? weights = null;
        if (Best is not null)
        {
            weights = new double[Best.Length];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = double.CreateTruncating(Best[i]); // exact: float widens to double without rounding
            }
        }

        return new EarlyStoppingState(bestEpoch, BestValue, Wait, weights);
    }

    private static double Monitored(EpochReport report, string monitor) => monitor switch
    {
        "loss" => report.Loss,
        "val_loss" => report.ValidationLoss ?? double.NaN,
        _ => report.Metrics[monitor],
    };
}
