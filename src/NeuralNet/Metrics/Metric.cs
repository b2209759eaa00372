namespace NeuralNet.Metrics;

/// <summary>The built-in metrics and the name table of <see cref="FromName"/>.</summary>
public static class Metric
{
    /// <summary>Classification accuracy, <c>accuracy</c>.</summary>
    public static IMetric Accuracy { get; } = new AccuracyMetric();

    /// <summary>Macro-averaged precision, <c>precision</c>.</summary>
    public static IMetric Precision => ClassificationMetric.MacroPrecision;

    /// <summary>Macro-averaged recall, <c>recall</c>.</summary>
    public static IMetric Recall => ClassificationMetric.MacroRecall;

    /// <summary>Macro-averaged F1, <c>f1</c>.</summary>
    public static IMetric F1 => ClassificationMetric.MacroF1;

    /// <summary>Mean squared error, <c>mse</c>.</summary>
    public static IMetric MeanSquaredError => RegressionMetric.MeanSquaredError;

    /// <summary>Mean absolute error, <c>mae</c>.</summary>
    public static IMetric MeanAbsoluteError => RegressionMetric.MeanAbsoluteError;

    /// <summary>Coefficient of determination, <c>r2</c>.</summary>
    public static IMetric RSquared => RegressionMetric.RSquared;

    /// <summary>Top-k accuracy, <c>top_k_accuracy</c> with the number in place of k (e.g. <c>top_5_accuracy</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    public static IMetric TopKAccuracy(int k) => new AccuracyMetric(k);

    /// <summary>Looks a metric up by name, in any case: <c>accuracy</c>, <c>top_5_accuracy</c>, <c>precision</c>,
    /// <c>recall</c>, <c>f1</c>, <c>mse</c>, <c>mae</c>, <c>r2</c>, as reports print them, or by the aliases Keras and
    /// scikit-learn use: <c>acc</c>, <c>mean_squared_error</c>, <c>mean_absolute_error</c>, <c>r2_score</c>, <c>r_squared</c>,
    /// <c>R²</c>, <c>f1_score</c>, <c>precision_score</c>, <c>recall_score</c>, <c>accuracy_score</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static IMetric FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Trim().ToLowerInvariant())
        {
            case "accuracy" or "acc" or "accuracy_score": return Accuracy;
            case "precision" or "precision_score": return Precision;
            case "recall" or "recall_score": return Recall;
            case "f1" or "f1_score": return F1;
            case "mse" or "mean_squared_error": return MeanSquaredError;
            case "mae" or "mean_absolute_error": return MeanAbsoluteError;
            case "r2" or "r²" or "r2_score" or "r_squared": return RSquared;
        }

        string lower = name.ToLowerInvariant();
        if (lower.StartsWith("top_", StringComparison.Ordinal) && lower.EndsWith("_accuracy", StringComparison.Ordinal)
            && int.TryParse(lower.AsSpan(4, lower.Length - 4 - "_accuracy".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) && k > 0)
        {
            return TopKAccuracy(k);
        }

        throw new ArgumentException($"Unknown metric '{name}'. Known metrics: accuracy, top_<k>_accuracy, precision, recall, f1, mse, mae, r2.", nameof(name));
    }

    /// <summary>The report name of the metric <paramref name="name"/> stands for (see <see cref="FromName"/>), or null.</summary>
    internal static string? TryCanonicalName(string name)
    {
        try
        {
            return FromName(name).Name;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
