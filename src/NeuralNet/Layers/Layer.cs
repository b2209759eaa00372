using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>
/// A step of a <see cref="Network{T}"/>: maps <c>[batch x InputSize]</c> to <c>[batch x OutputSize]</c>, both stored
/// column-major (each unit's column of <c>batch</c> values is contiguous, as in MathNet's dense storage).
/// </summary>
/// <remarks>
/// The training pair <see cref="Forward"/> / <see cref="Backward"/> keeps what the backward pass needs in buffers the
/// layer owns, reused while the batch size does not grow; it is not thread-safe. A custom layer implements
/// <see cref="ForwardCore"/>, <see cref="BackwardCore"/> and <see cref="Infer"/>. <see cref="Infer"/> touches no layer
/// state, so inference is safe from many threads at once.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _output = [];
    private T[] _inputGradient = [];

    /// <summary>Columns of the input.</summary>
    public abstract int InputSize { get; }

    /// <summary>Columns of the output.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The shape of one input sample; <see cref="FeatureShape.Flat"/>(<see cref="InputSize"/>) unless the
    /// layer works on images. Its <see cref="FeatureShape.Size"/> is always <see cref="InputSize"/>.</summary>
    public virtual FeatureShape InputShape => FeatureShape.Flat(InputSize);

    /// <summary>The shape of one output sample; <see cref="FeatureShape.Flat"/>(<see cref="OutputSize"/>) unless the
    /// layer produces images. Its <see cref="FeatureShape.Size"/> is always <see cref="OutputSize"/>.</summary>
    public virtual FeatureShape OutputShape => FeatureShape.Flat(OutputSize);

    /// <summary>Short kind name, e.g. <c>dense</c>; used in summaries, messages and model files.</summary>
    public abstract string Kind { get; }

    /// <summary>The trainable parameters (empty for layers without any).</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>Non-trainable tensors that inference needs and model files save (batch norm's running mean and
    /// variance); empty for most layers. Their <see cref="Parameter{T}.Gradient"/> is unused.</summary>
    public virtual IReadOnlyList<Parameter<T>> Buffers => [];

    /// <summary>Training forward pass: returns the output, held in a buffer of this layer until the next call.</summary>
    /// <param name="input">Input batch <c>[batchSize x InputSize]</c>, column-major.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="training">True while training (dropout drops, batch norm uses batch statistics).</param>
    public ReadOnlySpan<T> Forward(ReadOnlySpan<T> input, int batchSize, bool training)
    {
        Span<T> output = Rent(ref _output, batchSize * OutputSize);
        ForwardCore(input, output, batchSize, training);
        return output;
    }

    /// <summary>
    /// Backward pass for the batch of the last <see cref="Forward"/>: writes every parameter's gradient (overwriting, not
    /// accumulating) and returns <c>dL/dinput</c>, held in a buffer of this layer until the next call.
    /// </summary>
    /// <param name="input">The same input given to <see cref="Forward"/>.</param>
    /// <param name="outputGradient"><c>dL/doutput</c>, <c>[batchSize x OutputSize]</c>.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="computeInputGradient">False for the first layer, whose input gradient nobody needs; then the
    /// returned span is empty.</param>
    public ReadOnlySpan<T> Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, int batchSize, bool computeInputGradient)
    {
        Span<T> inputGradient = computeInputGradient ? RentInputGradient(batchSize) : default;
        BackwardCore(input, LastOutput(batchSize), outputGradient, inputGradient, batchSize);
        return inputGradient;
    }

    /// <summary>Computes the training-mode output; keep in fields whatever <see cref="BackwardCore"/> needs besides
    /// the input and output.</summary>
    /// <param name="input">Input batch <c>[batchSize x InputSize]</c>, column-major.</param>
    /// <param name="output">Destination <c>[batchSize x OutputSize]</c>.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="training">True while training.</param>
    protected abstract void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training);

    /// <summary>Writes every parameter's gradient and, when <paramref name="inputGradient"/> is not empty, <c>dL/dinput</c>.</summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="output">The output of the last forward pass.</param>
    /// <param name="outputGradient"><c>dL/doutput</c>.</param>
    /// <param name="inputGradient">Destination for <c>dL/dinput</c> (<c>[batchSize x InputSize]</c>), or empty when not needed.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    protected abstract void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize);

    /// <summary>The output of the last training forward pass.</summary>
    internal ReadOnlySpan<T> LastOutput(int batchSize) => _output.AsSpan(0, batchSize * OutputSize);

    /// <summary>The layer's input-gradient buffer, sized for <paramref name="batchSize"/>.</summary>
    private protected Span<T> RentInputGradient(int batchSize) => Rent(ref _inputGradient, batchSize * InputSize);

    /// <summary>Inference: writes the output for <paramref name="input"/> into <paramref name="output"/> without touching
    /// any training buffer. Safe to call from many threads at once.</summary>
    /// <param name="input">Input batch <c>[batchSize x InputSize]</c>, column-major.</param>
    /// <param name="output">Destination <c>[batchSize x OutputSize]</c>, column-major.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    public abstract void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize);

    /// <summary>Inference on one sample: <see cref="Infer"/> with a batch of one, unless the layer has a faster single-row
    /// path giving the same bits (dense layers). Safe to call from many threads at once.</summary>
    /// <param name="input">The sample, length <see cref="InputSize"/>.</param>
    /// <param name="output">Destination, length <see cref="OutputSize"/>.</param>
    internal virtual void InferRow(ReadOnlySpan<T> input, Span<T> output) => Infer(input, output, 1);

    /// <summary>Sets initial parameter values. The builder calls it once, in layer order, from the network's seeded source;
    /// calling it again re-initialises the layer.</summary>
    /// <param name="random">The network's seeded source.</param>
    public virtual void Initialize(RandomSource random)
    {
    }

    /// <summary>One line for <see cref="Network{T}.Summary"/>, e.g. <c>dense(relu)</c>.</summary>
    public virtual string Describe() => Kind;

    /// <summary>Returns the first <paramref name="length"/> elements of <paramref name="buffer"/>, growing it first if needed
    /// (into a 64-byte aligned array, which the GEMM can read in place).</summary>
    protected static Span<T> Rent(ref T[] buffer, int length) => Kernels.AlignedArrays.Rent(ref buffer, length);
}
