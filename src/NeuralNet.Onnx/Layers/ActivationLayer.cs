using NeuralNet.Activations;
using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Onnx.Layers;

/// <summary>
/// An activation on its own, <c>output = f(input)</c>, input and output <c>[batch x size]</c>; backward
/// <c>dInput = f'(input) ⊙ dOutput</c>. The importer uses it where a graph applies an activation that no dense layer
/// precedes (after batch normalisation, or first in the graph); after a dense layer it folds the activation in.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ActivationLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FeatureShape _shape;
    private readonly int _size;

    /// <summary>Creates the layer for flat inputs of <paramref name="size"/> features.</summary>
    /// <param name="size">Units in and out.</param>
    /// <param name="activation">The activation <c>f</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="activation"/> is null.</exception>
    public ActivationLayer(int size, IActivation activation)
        : this(FeatureShape.Flat(size), activation)
    {
    }

    /// <summary>Creates the layer for inputs of <paramref name="shape"/>; the output has the same shape. A row-wise
    /// activation (softmax) treats each sample's features as one row.</summary>
    /// <param name="shape">The shape of one sample.</param>
    /// <param name="activation">The activation <c>f</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="shape"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="activation"/> is null.</exception>
    public ActivationLayer(FeatureShape shape, IActivation activation)
    {
        shape.Validate(nameof(shape));
        ArgumentNullException.ThrowIfNull(activation);
        _shape = shape;
        _size = shape.Size;
        Activation = activation;
        ActivationLayerCodec.EnsureRegistered();
    }

    /// <summary>The activation <c>f</c>.</summary>
    public IActivation Activation { get; }

    /// <inheritdoc />
    public override int InputSize => _size;

    /// <inheritdoc />
    public override int OutputSize => _size;

    /// <inheritdoc />
    public override FeatureShape InputShape => _shape;

    /// <inheritdoc />
    public override FeatureShape OutputShape => _shape;

    /// <inheritdoc />
    public override string Kind => ActivationLayerCodec.KindName;

    /// <inheritdoc />
    public override string Describe() => $"activation({Activation.Name})";

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training) =>
        Activation.Forward(input[..(batchSize * _size)], output, batchSize);

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        if (!inputGradient.IsEmpty)
        {
            Activation.Backward(input[..(batchSize * _size)], output, outputGradient, inputGradient, batchSize);
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize) =>
        Activation.Forward(input[..(batchSize * _size)], output[..(batchSize * _size)], batchSize);
}
