namespace NeuralNet.Losses;

/// <summary>The built-in losses and the name table used by <see cref="FromName"/> and by model files.</summary>
public static class Loss
{
    private static readonly Dictionary<string, Func<NameSpec, ILoss>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mse"] = _ => NeuralNet.Losses.MeanSquaredError.Instance,
        ["mean_squared_error"] = _ => NeuralNet.Losses.MeanSquaredError.Instance,
        ["mae"] = _ => NeuralNet.Losses.MeanAbsoluteError.Instance,
        ["mean_absolute_error"] = _ => NeuralNet.Losses.MeanAbsoluteError.Instance,
        ["huber"] = s => new Huber(s.Get("delta", 1.0)),
        ["binary_crossentropy"] = s => new BinaryCrossEntropy(s.Get("from_logits", 0) != 0),
        ["categorical_crossentropy"] = s => new CategoricalCrossEntropy(s.Get("from_logits", 0) != 0),
        ["sparse_categorical_crossentropy"] = s => new SparseCategoricalCrossEntropy(s.Get("from_logits", 0) != 0, s.Get("label_smoothing", 0)),
    };

    /// <summary>Mean squared error.</summary>
    public static ILoss MeanSquaredError => Losses.MeanSquaredError.Instance;

    /// <summary>Mean absolute error.</summary>
    public static ILoss MeanAbsoluteError => Losses.MeanAbsoluteError.Instance;

    /// <summary>Huber loss with threshold <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public static ILoss Huber(double delta = 1.0) => new Huber(delta);

    /// <summary>Binary cross-entropy on probabilities (fused with a sigmoid output layer).</summary>
    public static ILoss BinaryCrossEntropy { get; } = new BinaryCrossEntropy();

    /// <summary>Binary cross-entropy on logits (identity output layer).</summary>
    public static ILoss BinaryCrossEntropyFromLogits { get; } = new BinaryCrossEntropy(fromLogits: true);

    /// <summary>Categorical cross-entropy with one-hot targets (fused with a softmax output layer).</summary>
    public static ILoss CategoricalCrossEntropy { get; } = new CategoricalCrossEntropy();

    /// <summary>Categorical cross-entropy with one-hot targets, on logits (identity output layer).</summary>
    public static ILoss CategoricalCrossEntropyFromLogits { get; } = new CategoricalCrossEntropy(fromLogits: true);

    /// <summary>Categorical cross-entropy with integer class labels (fused with a softmax output layer).</summary>
    public static ILoss SparseCategoricalCrossEntropy { get; } = new SparseCategoricalCrossEntropy();

    /// <summary>Categorical cross-entropy with integer class labels, on logits (identity output layer).</summary>
    public static ILoss SparseCategoricalCrossEntropyFromLogits { get; } = new SparseCategoricalCrossEntropy(fromLogits: true);

    /// <summary>Categorical cross-entropy with integer class labels and label smoothing <paramref name="epsilon"/>: the
    /// targets become <c>(1 - ε) onehot + ε/K</c> (fused with a softmax output layer).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is outside [0, 1).</exception>
    public static ILoss SparseCategoricalCrossEntropyWithLabelSmoothing(double epsilon) => new SparseCategoricalCrossEntropy(false, epsilon);

    /// <summary>The names <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyCollection<string> KnownNames => Factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Looks a loss up by name, e.g. <c>"mse"</c>, <c>"huber(delta=2)"</c>, <c>"categorical_crossentropy(from_logits=1)"</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones) or malformed.</exception>
    public static ILoss FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        NameSpec spec = NameSpec.Parse(name, nameof(name));
        if (!Factories.TryGetValue(spec.BaseName, out Func<NameSpec, ILoss>? factory))
        {
            throw new ArgumentException($"Unknown loss '{name}'. Known losses: {string.Join(", ", KnownNames)}.", nameof(name));
        }

        return factory(spec);
    }
}
