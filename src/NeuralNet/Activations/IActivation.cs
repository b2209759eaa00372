using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// An activation function applied to a batch of pre-activations <c>z</c> (shape <c>[batch x units]</c>, stored
/// column-major, so each unit's column of <c>batch</c> values is contiguous). Implement it once with generic maths
/// and it serves both <see cref="float"/> and <see cref="double"/>.
/// </summary>
/// <remarks>
/// Element-wise activations ignore <c>batchSize</c>; row-wise ones (softmax) use it to find the rows.
/// Implementations must be stateless and thread-safe: one instance is shared by every layer and thread.
/// </remarks>
public interface IActivation
{
    /// <summary>Canonical name, including parameters, e.g. <c>relu</c> or <c>leaky_relu(alpha=0.01)</c>;
    /// <see cref="Activation.FromName"/> parses it back.</summary>
    string Name { get; }

    /// <summary>Computes <c>a = f(z)</c>. <paramref name="output"/> may be the same memory as <paramref name="input"/>.</summary>
    /// <param name="input">Pre-activations <c>z</c>, <c>[batchSize x units]</c> column-major.</param>
    /// <param name="output">Destination for <c>a</c>, same length.</param>
    /// <param name="batchSize">Rows of the batch; <c>input.Length</c> is a multiple of it.</param>
    void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Computes <c>dL/dz</c> from <c>dL/da</c> by the chain rule: <c>dL/dz = f'(z) * dL/da</c>
    /// (a vector-Jacobian product for row-wise functions).</summary>
    /// <param name="input">The pre-activations <c>z</c> given to <see cref="Forward{T}"/>.</param>
    /// <param name="output">The activations <c>a</c> it returned.</param>
    /// <param name="outputGradient"><c>dL/da</c>.</param>
    /// <param name="inputGradient">Destination for <c>dL/dz</c>; may be the same memory as <paramref name="outputGradient"/>.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
