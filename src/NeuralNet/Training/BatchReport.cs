namespace NeuralNet.Training;

/// <summary>What happened in one batch, for the optional per-batch callback of <c>Trainer.Fit</c>.</summary>
/// <param name="Epoch">Epoch number, from 1.</param>
/// <param name="Batch">Batch number within the epoch, from 1.</param>
/// <param name="BatchCount">Batches per epoch.</param>
/// <param name="Rows">Rows in this batch (the last one may be short).</param>
/// <param name="Loss">The batch-mean loss before the step (L2 penalty included).</param>
/// <param name="LearningRate">The rate used for the step.</param>
public readonly record struct BatchReport(int Epoch, int Batch, int BatchCount, int Rows, double Loss, double LearningRate);
