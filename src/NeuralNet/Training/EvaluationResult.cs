namespace NeuralNet.Training;

/// <summary>The outcome of <see cref="Trainer{T}.Evaluate"/>.</summary>
/// <param name="Loss">Mean loss of the data in inference mode (no L2 penalty).</param>
/// <param name="Metrics">Each of <see cref="TrainerOptions.Metrics"/> by name.</param>
public sealed record EvaluationResult(double Loss, IReadOnlyDictionary<string, double> Metrics);
