using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>
/// Heaviside step, the perceptron's activation: <c>f(z) = 1</c> if <c>z &gt;= 0</c>, else <c>0</c>.
/// Its derivative is 0 everywhere it exists, so backpropagation passes no gradient through it.
/// </summary>
public sealed class Step : IActivation
{
    /// <summary>The shared instance.</summary>
    public static Step Instance { get; } = new();

    private Step() { }

    /// <inheritdoc />
    public string Name => "step";

    /// <inheritdoc />
    public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = input[i] >= T.Zero ? T.One : T.Zero;
        }
    }

    /// <inheritdoc />
    public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T> => inputGradient[..outputGradient.Length].Clear();
}
