using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// Fully connected layer: <c>output = f(input · W + b)</c>, input <c>[batch x in]</c>, <c>W</c> <c>[in x out]</c>,
/// <c>b</c> <c>[1 x out]</c>, output <c>[batch x out]</c>.
/// Backward, with <c>dZ = f'(Z) ⊙ dOutput</c>: <c>dW = input^T · dZ</c>, <c>db = sum over rows of dZ</c>,
/// <c>dInput = dZ · W^T</c>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DenseLayer<T> : Layer<T>, IFusedOutputLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> _weights;
    private readonly Parameter<T> _bias;
    private readonly Parameter<T>[] _parameters;
    private T[] _z = [];
    private T[] _dz = [];

    /// <summary>Creates a dense layer; weights are set when the network is built (or by <see cref="Initialize"/>).</summary>
    /// <param name="inputSize">Inputs per sample.</param>
    /// <param name="units">Outputs per sample.</param>
    /// <param name="activation">Activation <c>f</c>; <see cref="Activation.Identity"/> when null.</param>
    /// <param name="initializer">Weight initialiser; <see cref="Initializer.DefaultFor"/> the activation when null.
    /// Biases start at zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> or <paramref name="units"/> is not positive.</exception>
    public DenseLayer(int inputSize, int units, IActivation? activation = null, IInitializer? initializer = null)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        ThrowHelper.ThrowIfNotPositive(inputSize, nameof(inputSize));
        ThrowHelper.ThrowIfNotPositive(units, nameof(units));
        Activation = activation ?? Activations.Activation.Identity;
        WeightInitializer = initializer ?? Initializer.DefaultFor(Activation);
        _weights = new Parameter<T>("W", inputSize, units, regularized: true);
        _bias = new Parameter<T>("b", 1, units, regularized: false);
        _parameters = [_weights, _bias];
    }

    /// <inheritdoc />
    public override int InputSize => _weights.Rows;

    /// <inheritdoc />
    public override int OutputSize => _weights.Columns;

    /// <inheritdoc />
    public override string Kind => "dense";

    /// <summary>The activation <c>f</c>.</summary>
    public IActivation Activation { get; }

    /// <summary>The initialiser used for <c>W</c>.</summary>
    public IInitializer WeightInitializer { get; }

    /// <summary>The weights <c>W</c>, <c>[in x out]</c> (a view: writing to it changes the layer).</summary>
    public Matrix<T> Weights => _weights.AsMatrix();

    /// <summary>The bias <c>b</c>, length <c>out</c> (a view: writing to it changes the layer).</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T> Bias => MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(_bias.ValueArray);

    /// <summary>The weight parameter <c>W</c>.</summary>
    public Parameter<T> WeightParameter => _weights;

    /// <summary>The bias parameter <c>b</c>.</summary>
    public Parameter<T> BiasParameter => _bias;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public IActivation OutputActivation => Activation;

    /// <summary>The pre-activations <c>Z = input · W + b</c> of the last training forward pass.</summary>
    /// <param name="batchSize">Rows of that batch.</param>
    public ReadOnlySpan<T> PreActivation(int batchSize) => _z.AsSpan(0, batchSize * OutputSize);

    /// <inheritdoc />
    public override string Describe() => $"dense({Activation.Name})";

    /// <inheritdoc />
    public override void Initialize(RandomSource random)
    {
        WeightInitializer.Initialize(_weights.Value, InputSize, OutputSize, random);
        _bias.Value.Clear();
    }

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training)
    {
        Span<T> z = Rent(ref _z, batchSize * OutputSize);
        if (Rectifies)
        {
            // Z and max(Z, 0) both from the product's epilogue (Z is kept for the backward pass).
            Affine(input, z, batchSize, output);
            return;
        }

        Affine(input, z, batchSize, default);
        Activation.Forward<T>(z, output, batchSize);
    }

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize) =>
        BackwardAffine(input, PreActivationGradient(output, outputGradient, batchSize), inputGradient, batchSize, default);

    /// <summary><c>dL/dZ</c> from <c>dL/dOutput</c> through the activation, into the layer's own buffer.</summary>
    private ReadOnlySpan<T> PreActivationGradient(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int batchSize)
    {
        int n = batchSize * OutputSize;
        Span<T> dz = Rent(ref _dz, n);
        Activation.Backward(_z.AsSpan(0, n), output, outputGradient, dz, batchSize);
        return dz;
    }

    /// <summary>Backward pass given <c>dZ = dL/dZ</c> directly (the fused softmax/sigmoid + cross-entropy delta):
    /// <c>dW = input^T · dZ</c>, <c>db = Σ rows dZ</c>, <c>dInput = dZ · W^T</c>.</summary>
    /// <param name="input">The input of the last training forward pass.</param>
    /// <param name="dz"><c>dL/dZ</c>, <c>[batchSize x OutputSize]</c>.</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="computeInputGradient">False for a first layer.</param>
    public ReadOnlySpan<T> BackwardFromPreActivation(ReadOnlySpan<T> input, ReadOnlySpan<T> dz, int batchSize, bool computeInputGradient)
    {
        Span<T> inputGradient = computeInputGradient ? RentInputGradient(batchSize) : default;
        BackwardAffine(input, dz, inputGradient, batchSize, default);
        return inputGradient;
    }

    /// <summary>
    /// The backward pass of a layer whose input comes straight from a dense ReLU layer: writes this layer's parameter
    /// gradients and returns <c>dL/dZ</c> of the layer below, its ReLU derivative (<c>Z &gt; 0 ? dX : 0</c>) applied in
    /// the epilogue of the input-gradient product (<see cref="GemmEpilogue{T}.ReluMask"/>) instead of a pass of its own
    /// on the calling thread. The same operations as <see cref="Layer{T}.Backward"/> here followed by the ReLU layer's
    /// own, so the same bits.
    /// </summary>
    /// <param name="input">The input of the last training forward pass (the ReLU layer's output).</param>
    /// <param name="gradient"><c>dL/dOutput</c>, or <c>dL/dZ</c> when <paramref name="gradientIsPreActivation"/>.</param>
    /// <param name="gradientIsPreActivation">Whether <paramref name="gradient"/> is already <c>dL/dZ</c> (a fused
    /// output loss, or this layer's own ReLU derivative folded in by the layer above).</param>
    /// <param name="batchSize">Rows of the batch.</param>
    /// <param name="belowPreActivation">The ReLU layer's pre-activations, <c>[batchSize x InputSize]</c>.</param>
    internal ReadOnlySpan<T> BackwardIntoRelu(ReadOnlySpan<T> input, ReadOnlySpan<T> gradient, bool gradientIsPreActivation, int batchSize, ReadOnlySpan<T> belowPreActivation)
    {
        ReadOnlySpan<T> dz = gradientIsPreActivation ? gradient : PreActivationGradient(LastOutput(batchSize), gradient, batchSize);
        Span<T> inputGradient = RentInputGradient(batchSize);
        BackwardAffine(input, dz, inputGradient, batchSize, belowPreActivation);
        return inputGradient;
    }

    /// <summary>Whether the activation is ReLU, which the products' epilogues apply (forward) and fold in (backward).</summary>
    internal bool Rectifies => ReferenceEquals(Activation, ReLU.Instance);

    /// <summary><c>dW = input^T · dZ</c>, <c>db = Σ rows dZ</c>, and <c>dInput = dZ · W^T</c> unless
    /// <paramref name="inputGradient"/> is empty; when <paramref name="maskZ"/> is not empty (the pre-activations of a
    /// ReLU layer below), <c>dInput</c> leaves as that layer's <c>dL/dZ</c>: <c>maskZ &gt; 0 ? dInput : 0</c>.</summary>
    private unsafe void BackwardAffine(ReadOnlySpan<T> input, ReadOnlySpan<T> dz, Span<T> inputGradient, int batchSize, ReadOnlySpan<T> maskZ)
    {
        int inSize = InputSize, outSize = OutputSize;

        // dW[i, j] = sum over batch of x[b, i] * dZ[b, j]; db[j] = sum over batch of dZ[b, j] (column j of dZ is
        // contiguous) in the product's epilogue, by the thread that finishes column j of dW's first rows.
        Gemm.Validate(true, false, inSize, outSize, batchSize, input.Length, batchSize, dz.Length, batchSize, _weights.Gradient.Length, inSize);
        fixed (T* pdz = dz, pdb = _bias.Gradient)
        {
            Gemm.MultiplyCore(true, false, inSize, outSize, batchSize, T.One, input, batchSize, dz, batchSize, T.Zero, _weights.Gradient, inSize, GemmPath.Auto, Gemm.MaxDegreeOfParallelism, GemmEpilogue<T>.ColumnSums(pdz, batchSize, pdb));
        }

        if (inputGradient.IsEmpty)
        {
            return;
        }

        // dX[b, i] = sum over j of dZ[b, j] * W[i, j]; with a mask, dX = Z_below > 0 ? dX : 0 block by block (an empty
        // mask pins to null, an empty epilogue).
        Gemm.Validate(false, true, batchSize, inSize, outSize, dz.Length, batchSize, _weights.Value.Length, inSize, inputGradient.Length, batchSize);
        if (!maskZ.IsEmpty && maskZ.Length < batchSize * inSize)
        {
            throw new ArgumentException($"expected at least {batchSize * inSize} pre-activations below, got {maskZ.Length}.", nameof(maskZ));
        }

        fixed (T* pz = maskZ)
        {
            Gemm.MultiplyCore(false, true, batchSize, inSize, outSize, T.One, dz, batchSize, _weights.Value, inSize, T.Zero, inputGradient, batchSize, GemmPath.Auto, Gemm.MaxDegreeOfParallelism, GemmEpilogue<T>.ReluMask(pz));
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize)
    {
        Span<T> z = output[..(batchSize * OutputSize)];
        if (Rectifies)
        {
            Affine(input, z, batchSize, z);
            return;
        }

        Affine(input, z, batchSize, default);
        Activation.Forward<T>(z, z, batchSize);
    }

    /// <inheritdoc />
    /// <remarks>One sample through <see cref="RowVectorKernels{T}"/>, which reads each weight once where it is stored,
    /// with the bias and ReLU fused; other activations run on the row afterwards. Bit-identical to <see cref="Infer"/>
    /// with a batch of one.</remarks>
    internal override void InferRow(ReadOnlySpan<T> input, Span<T> output)
    {
        Span<T> z = output[..OutputSize];
        bool rectify = ReferenceEquals(Activation, ReLU.Instance);
        RowVectorKernels<T>.Affine(input, _weights.ValueArray, _bias.ValueArray, z, rectify);
        if (!rectify && !ReferenceEquals(Activation, Identity.Instance))
        {
            Activation.Forward<T>(z, z, 1);
        }
    }

    /// <summary><c>Z = X · W + b</c> (column j of Z gets <c>b[j]</c>) and, when <paramref name="rectified"/> is not
    /// empty, <c>rectified = max(Z, 0)</c> (it may be Z itself). Both run in the product's epilogue
    /// (<see cref="GemmEpilogue{T}"/>): each thread of a split product finishes its own block of Z, with the operations
    /// of a bias add and <see cref="ReLU"/>'s forward pass after the product.</summary>
    private unsafe void Affine(ReadOnlySpan<T> input, Span<T> z, int batchSize, Span<T> rectified)
    {
        int n = batchSize * OutputSize;
        Gemm.Validate(false, false, batchSize, OutputSize, InputSize, input.Length, batchSize, _weights.Value.Length, InputSize, z.Length, batchSize);
        if (!rectified.IsEmpty && rectified.Length < n)
        {
            throw new ArgumentException($"expected at least {n} output values, got {rectified.Length}.", nameof(rectified));
        }

        fixed (T* bias = _bias.ValueArray, pr = rectified)
        {
            var epilogue = new GemmEpilogue<T>(bias, rectified.IsEmpty ? null : pr);
            Gemm.MultiplyCore(false, false, batchSize, OutputSize, InputSize, T.One, input, batchSize, _weights.Value, InputSize, T.Zero, z, batchSize, GemmPath.Auto, Gemm.MaxDegreeOfParallelism, epilogue);
        }
    }
}
