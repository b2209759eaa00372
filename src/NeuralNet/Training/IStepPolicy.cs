using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// What happens between "gradients ready" and the next batch: the seam where an engine decides how the weights move.
/// The training loop calls <see cref="StepAsync"/> once per batch after the batch's loss and gradients (batch mean, L2
/// term added, not clipped) are in <see cref="StepContext{T}.Parameters"/>; when the returned task completes, the
/// network must hold the new weights. <see cref="LocalStep{T}"/> (clip, then the optimiser's step) is the default; a
/// data-parallel engine supplies one that pushes the gradient to a parameter server and pulls the new weights.
/// </summary>
/// <remarks>Return a completed <see cref="ValueTask"/> when the step is synchronous: then the loop allocates nothing
/// per batch. The loop snapshots the weights before calling and, when the step leaves a weight NaN or infinite,
/// restores them and raises <see cref="TrainingDivergedException"/>.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IStepPolicy<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Moves the weights for the batch described by <paramref name="step"/>.</summary>
    /// <param name="step">The batch, its gradients and the training objects; reused from batch to batch.</param>
    /// <param name="cancellationToken">Signalled when training is cancelled.</param>
    ValueTask StepAsync(StepContext<T> step, CancellationToken cancellationToken);
}
