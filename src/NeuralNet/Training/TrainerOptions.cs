using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;

namespace NeuralNet.Training;

/// <summary>Settings of a <see cref="Trainer{T}"/>, validated once when the trainer is created.</summary>
/// <remarks>The <see cref="Optimizer"/> and <see cref="Schedule"/> instances hold state during a fit; give each
/// trainer that runs at the same time its own.</remarks>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set, at least 1. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per mini-batch, at least 1; the last batch of an epoch holds the remainder. Ignored by full-batch
    /// optimisers (<see cref="IOptimizer.RequiresFullBatch"/>). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether the order of the training rows is shuffled (by index) every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling: the same seed (and network seed) gives bit-identical weights. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>When no validation set is passed to <c>Fit</c>, the fraction of rows, taken from the end of the data
    /// before any shuffling, held out for validation; in [0, 1). Default 0 (no validation).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>When set, gradients are rescaled so that their global L2 norm is at most this value
    /// (<c>g ← g · c / max(c, ‖g‖)</c>, Pascanu et al., 2013). Not applied by full-batch optimisers.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>L2 penalty <c>λ</c> on regularised parameters (weights, not biases): the loss gains <c>λ/2 Σ w²</c> and
    /// each gradient <c>λ w</c>. Default 0.</summary>
    public double L2 { get; init; }

    /// <summary>Early stopping; none when null (default).</summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>The learning-rate schedule, applied to the optimiser's rate when the trainer was created. Default constant.</summary>
    public ILearningRateSchedule Schedule { get; init; } = ConstantSchedule.Instance;

    /// <summary>The optimiser. Default <see cref="Adam"/> with learning rate 0.001.</summary>
    public IOptimizer Optimizer { get; init; } = new Adam();

    /// <summary>The loss. Default mean squared error.</summary>
    public ILoss Loss { get; init; } = Losses.Loss.MeanSquaredError;

    /// <summary>Whether each epoch report carries a <see cref="HealthReport"/> (gradient norms, dead and saturated units,
    /// update sizes, plain-language hints). Costs one inference pass on at most 256 rows per epoch. Default false.</summary>
    public bool HealthMonitor { get; init; }

    /// <summary>Metrics reported per epoch on the training data (and validation data, prefixed <c>val_</c>), computed in
    /// inference mode at the end of the epoch. Default none.</summary>
    public IReadOnlyList<IMetric> Metrics { get; init; } = [];

    /// <summary>A weight per class (Keras' <c>class_weight</c>): each training row's loss is multiplied by the weight of
    /// its class, <c>L = 1/B · Σ_b w(c_b) ℓ_b</c>, times its sample weight when <c>Fit</c> is given those too. The class of
    /// a row is its label (sparse categorical cross-entropy), the column of its largest target (one-hot targets), or
    /// <c>y ≥ 0.5</c> (binary cross-entropy on one output); one weight per output unit, or two for a single binary
    /// output. Only classification losses accept class weights. Validation loss stays unweighted. Default null (all 1).</summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    internal void Validate()
    {
        ThrowHelper.ThrowIfNotPositive(Epochs, nameof(Epochs));
        ThrowHelper.ThrowIfNotPositive(BatchSize, nameof(BatchSize));
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, $"ValidationFraction must be in [0, 1). Received: ValidationFraction={ValidationFraction}");
        }

        if (GradientClipNorm is { } clip)
        {
            ThrowHelper.ThrowIfNotPositive(clip, nameof(GradientClipNorm));
        }

        ThrowHelper.ThrowIfNegativeOrNotFinite(L2, nameof(L2));
        if (Schedule is null)
        {
            throw new ArgumentNullException(nameof(Schedule));
        }

        if (Optimizer is null)
        {
            throw new ArgumentNullException(nameof(Optimizer));
        }

        if (Loss is null)
        {
            throw new ArgumentNullException(nameof(Loss));
        }

        if (Metrics is null)
        {
            throw new ArgumentNullException(nameof(Metrics));
        }

        for (int i = 0; i < Metrics.Count; i++)
        {
            if (Metrics[i] is null)
            {
                throw new ArgumentNullException(nameof(Metrics), $"Metrics[{i}] is null.");
            }
        }

        if (ClassWeights is not null)
        {
            for (int i = 0; i < ClassWeights.Count; i++)
            {
                double w = ClassWeights[i];
                if (!(w >= 0 && double.IsFinite(w)))
                {
                    throw new ArgumentOutOfRangeException(nameof(ClassWeights), w, $"class weights must be finite and non-negative. Received: ClassWeights[{i}]={w}");
                }
            }
        }

        EarlyStopping?.Validate();
    }
}
