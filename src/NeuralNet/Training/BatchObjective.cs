using System.Numerics;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>
/// The loss and gradients of one batch as training optimises them: the batch-mean loss of the network in training
/// mode (<see cref="Network{T}.ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, int, ILoss)"/>) plus the L2 term
/// <c>λ/2 · Σ w²</c> over the regularised tensors, whose gradient <c>λ w</c> is added to theirs.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchObjective<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly ILoss _loss;
    private readonly T _lambda;
    private readonly bool _l2;

    /// <summary>Creates the objective.</summary>
    /// <param name="network">The network whose gradients are written.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="l2">The L2 coefficient <c>λ</c>, 0 or more.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="l2"/> is negative or not finite.</exception>
    public BatchObjective(Network<T> network, ILoss loss, double l2)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ThrowHelper.ThrowIfNegativeOrNotFinite(l2, nameof(l2));
        _network = network;
        _loss = loss;
        _lambda = T.CreateTruncating(l2);
        _l2 = l2 > 0;
    }

    /// <summary>Writes every parameter's gradient for the batch and returns its loss. An empty batch (0 rows) gives zero
    /// gradients and loss 0.</summary>
    /// <param name="inputs">Inputs <c>[rows x InputSize]</c>, column-major.</param>
    /// <param name="targets">Targets <c>[rows x loss.ExpectedTargetColumns(OutputSize)]</c>, column-major.</param>
    /// <param name="rows">Rows of the batch, 0 or more.</param>
    /// <returns>The batch-mean loss plus the L2 penalty.</returns>
    /// <exception cref="ArgumentException">Span lengths do not match <paramref name="rows"/>.</exception>
    public T Compute(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows) => Compute(inputs, targets, ReadOnlySpan<T>.Empty, rows);

    /// <summary>Writes every parameter's gradient for the batch with a weight per row and returns its loss,
    /// <c>1/B · Σ_b w_b ℓ_b</c> plus the L2 penalty (see
    /// <see cref="Network{T}.ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, ILoss)"/>). An empty
    /// <paramref name="rowWeights"/> is the unweighted objective; an empty batch gives zero gradients and loss 0.</summary>
    /// <param name="inputs">Inputs <c>[rows x InputSize]</c>, column-major.</param>
    /// <param name="targets">Targets <c>[rows x loss.ExpectedTargetColumns(OutputSize)]</c>, column-major.</param>
    /// <param name="rowWeights">Empty, or one finite non-negative weight per row.</param>
    /// <param name="rows">Rows of the batch, 0 or more.</param>
    /// <returns>The weighted batch loss plus the L2 penalty.</returns>
    /// <exception cref="ArgumentException">Span lengths do not match <paramref name="rows"/>.</exception>
    public T Compute(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> rowWeights, int rows)
    {
        if (rows == 0)
        {
            _network.ParameterSet.ClearGradients();
            return T.Zero;
        }

        T loss = _network.ComputeGradients(inputs, targets, rowWeights, rows, _loss);
        if (_l2)
        {
            // L += λ/2 Σ w², dL/dw += λ w (regularised tensors only).
            loss += _network.ParameterSet.AddL2(_lambda);
        }

        return loss;
    }
}
