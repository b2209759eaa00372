using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// Updates parameters from their gradients. The trainer fills every <see cref="Parameter{T}.Gradient"/> (of the
/// batch-mean loss, plus any L2 term) and then calls <see cref="Step{T}"/> once per batch, or once per epoch on the
/// whole training set when <see cref="RequiresFullBatch"/> is true.
/// </summary>
/// <remarks>
/// An optimiser keeps per-parameter state (moments, step sizes, curvature pairs) bound to the parameter list of the
/// network it steps. <see cref="ExportState"/> and <see cref="ImportState"/> copy that state, with
/// <see cref="StepCount"/>, to and from an <see cref="OptimizerState"/>, so a checkpoint can resume bit-exactly.
/// An instance serves one network at a time and is not thread-safe.
/// </remarks>
public interface IOptimizer
{
    /// <summary>Short name, e.g. <c>adam</c>; also written in <see cref="OptimizerState.Optimizer"/>.</summary>
    string Name { get; }

    /// <summary>The step size <c>η</c> used by the next <see cref="Step{T}"/>; schedules overwrite it before each batch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value (0 is allowed, e.g. the first warm-up batch).</exception>
    double LearningRate { get; set; }

    /// <summary>Steps taken since construction or the last <see cref="Reset"/> (Adam's bias correction uses it).</summary>
    long StepCount { get; }

    /// <summary>True for optimisers meant for the whole training set per step (iRPROP-, L-BFGS): the trainer then
    /// ignores the batch size and steps once per epoch.</summary>
    bool RequiresFullBatch { get; }

    /// <summary>Updates every parameter's <see cref="Parameter{T}.Value"/> from its <see cref="Parameter{T}.Gradient"/>.</summary>
    /// <param name="parameters">The parameters, always the same list in the same order.</param>
    /// <param name="loss">The loss at the current values (used by line searches; others ignore it).</param>
    /// <param name="evaluate">Recomputes the loss and every gradient at the current values and returns the loss;
    /// required by optimisers that search along a direction (L-BFGS), ignored by the others.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null, or <paramref name="evaluate"/> is
    /// null for an optimiser that needs it.</exception>
    /// <exception cref="InvalidOperationException">The parameter list does not match the one the state was built for
    /// (call <see cref="Reset"/> to start over with another network).</exception>
    void Step<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate = null) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Forgets all state: the next step is a first step.</summary>
    void Reset();

    /// <summary>Copies the state (step count, every state tensor as doubles, exact for float and double) for a checkpoint.</summary>
    OptimizerState ExportState();

    /// <summary>Replaces the state with one from <see cref="ExportState"/> of an optimiser of the same kind; the tensors are
    /// checked against the parameters at the next <see cref="Step{T}"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another kind of optimiser.</exception>
    void ImportState(OptimizerState state);
}
