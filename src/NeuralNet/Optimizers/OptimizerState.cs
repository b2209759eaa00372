namespace NeuralNet.Optimizers;

/// <summary>
/// A copy of an optimiser's state for checkpoints: which optimiser, how many steps it took, and its state tensors as
/// doubles (float values convert exactly both ways). The layout of <see cref="Tensors"/> is the optimiser's own:
/// for the per-parameter optimisers it is slot-major, <c>slot * parameterCount + parameterIndex</c>, each tensor the
/// length of its parameter; L-BFGS stores its curvature pairs. Empty before the first step.
/// </summary>
/// <param name="Optimizer">The <see cref="IOptimizer.Name"/> of the optimiser that exported it.</param>
/// <param name="StepCount">Steps taken.</param>
/// <param name="Tensors">State tensors; the lists are copies, not views of the optimiser.</param>
/// <param name="Scalars">Extra scalar state (e.g. L-BFGS' previous loss); empty for most optimisers.</param>
public sealed record OptimizerState(string Optimizer, long StepCount, IReadOnlyList<double[]> Tensors, IReadOnlyList<double> Scalars);
