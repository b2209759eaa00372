namespace NeuralNet;

/// <summary>What <see cref="Perceptron{T}.Train"/> achieved.</summary>
/// <param name="Converged">Whether an epoch classified every sample correctly.</param>
/// <param name="Epochs">Epochs run: the converging epoch, or the limit.</param>
/// <param name="ErrorsInLastEpoch">Mistakes made in the last epoch (0 when converged).</param>
public readonly record struct PerceptronTrainingResult(bool Converged, int Epochs, int ErrorsInLastEpoch);
