using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// The single-machine step: global-norm clipping when <see cref="TrainerOptions.GradientClipNorm"/> is set (not for
/// full-batch optimisers), then <see cref="Optimizers.IOptimizer.Step{T}"/> on the network's parameters, with the
/// closure that recomputes loss and gradients for full-batch optimisers. Completes synchronously.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LocalStep<T> : IStepPolicy<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The shared instance (the policy holds no state).</summary>
    public static LocalStep<T> Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask StepAsync(StepContext<T> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        step.ClipGradients();
        step.Optimizer.Step(step.Parameters.Parameters, step.Loss, step.Evaluate);
        return default;
    }
}
