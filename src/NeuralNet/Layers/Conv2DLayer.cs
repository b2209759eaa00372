using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Kernels;

namespace NeuralNet.Layers;

/// <summary>
/// 2-D convolution (cross-correlation, as in PyTorch, Keras and ONNX) of <c>F</c> filters over a
/// <c>C x H x W</c> image:
/// <c>output[b, (f, oy, ox)] = act(bias[f] + Σ over c, ky, kx of W[f, c, ky, kx] · x[b, (c, oy·sH - pT + ky·dH, ox·sW - pL + kx·dW)])</c>,
/// padding reading as zero. Input <c>[batch x C·H·W]</c>, output <c>[batch x F·OH·OW]</c>, both channel-major rows
/// (NCHW flattened), with <c>OH = floor((H + pT + pB - (KH - 1)·dH - 1) / sH) + 1</c> and likewise <c>OW</c>.
/// </summary>
/// <remarks>
/// <para><b>Weight layout.</b> <see cref="Weights"/> is a <c>[C·KH·KW x F]</c> matrix, row <c>(c·KH + ky)·KW + kx</c>,
/// column <c>f</c>, stored column-major: its memory is exactly PyTorch's <c>Conv2d.weight</c> <c>[F, C, KH, KW]</c>
/// (and ONNX's <c>Conv</c> <c>W</c>) in row-major order, so exporting or importing is a plain copy of the flat
/// array; no transpose. The bias is <c>[1 x F]</c>, PyTorch's <c>bias</c>.</para>
/// <para><b>Computation.</b> Forward lowers the batch to <c>col</c> <c>[OH·OW·batch x C·KH·KW]</c> (see the im2col
/// kernel) and computes <c>Z = col · W</c> with the packed GEMM, whose column-major result is already the output
/// layout. Backward, with <c>dZ = act'(Z) ⊙ dOutput</c>: <c>dW = colᵀ · dZ</c>, <c>db[f] = Σ dZ[:, f]</c>,
/// <c>dcol = dZ · Wᵀ</c>, then <c>dInput</c> sums <c>dcol</c> back onto the pixels each tap read (col2im). A 1x1
/// kernel with stride 1 and no padding skips the lowering: the input already is <c>col</c>.</para>
/// <para>Initialisation uses <c>fanIn = C·KH·KW</c> and <c>fanOut = F·KH·KW</c>, as Keras and PyTorch do.</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Conv2DLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Most values of the column scratch one <see cref="Infer"/> call rents (it lowers a few output rows at a time).</summary>
    private const int InferScratchValues = 1 << 20;

    private readonly WindowGeometry _g;
    private readonly Parameter<T> _weights;
    private readonly Parameter<T>? _bias;
    private readonly Parameter<T>[] _parameters;
    private readonly bool _pointwise;
    private T[] _col = [];
    private T[] _z = [];
    private T[] _dz = [];

    /// <summary>Creates a convolution; weights are set when the network is built (or by <see cref="Initialize"/>).</summary>
    /// <param name="inputShape">The input image <c>C x H x W</c>.</param>
    /// <param name="filters">Output channels <c>F</c>.</param>
    /// <param name="kernel">Kernel height and width <c>KH x KW</c> (an int for a square kernel).</param>
    /// <param name="stride">Step between windows; 1 when null.</param>
    /// <param name="padding">Zero padding; <see cref="Padding2D.Valid"/> by default.</param>
    /// <param name="dilation">Spacing between kernel taps; 1 when null.</param>
    /// <param name="activation">Activation; identity when null.</param>
    /// <param name="useBias">Whether the layer has a bias per filter.</param>
    /// <param name="initializer">Weight initialiser; <see cref="Initializer.DefaultFor"/> the activation when null.
    /// Biases start at zero.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="inputShape"/>, <paramref name="filters"/>,
    /// or a side of <paramref name="kernel"/>, <paramref name="stride"/> or <paramref name="dilation"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window does not fit the padded input.</exception>
    public Conv2DLayer(FeatureShape inputShape, int filters, Size2D kernel, Size2D? stride = null, Padding2D padding = default,
        Size2D? dilation = null, IActivation? activation = null, bool useBias = true, IInitializer? initializer = null)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        inputShape.Validate(nameof(inputShape));
        ThrowHelper.ThrowIfNotPositive(filters, nameof(filters));
        kernel.Validate(nameof(kernel));
        Size2D s = stride ?? 1, d = dilation ?? 1;
        s.Validate(nameof(stride));
        d.Validate(nameof(dilation));
        Activation = activation ?? Activations.Activation.Identity;
        WeightInitializer = initializer ?? Initializer.DefaultFor(Activation);
        Padding = padding;
        _g = new WindowGeometry(inputShape, kernel, s, d, padding, $"conv2d({filters}, {kernel})");
        InputShape = inputShape;
        OutputShape = new FeatureShape(filters, _g.OutHeight, _g.OutWidth);
        _pointwise = _g.Taps == 1 && _g.StrideH == 1 && _g.StrideW == 1 && _g.PadTop == 0 && _g.PadLeft == 0
            && _g.OutHeight == _g.InHeight && _g.OutWidth == _g.InWidth;
        _weights = new Parameter<T>("W", inputShape.Channels * _g.Taps, filters, regularized: true);
        _bias = useBias ? new Parameter<T>("b", 1, filters, regularized: false) : null;
        _parameters = _bias is null ? [_weights] : [_weights, _bias];
    }

    /// <summary>The input image shape <c>C x H x W</c>.</summary>
    public override FeatureShape InputShape { get; }

    /// <summary>The output shape <c>F x OH x OW</c>.</summary>
    public override FeatureShape OutputShape { get; }

    /// <inheritdoc />
    public override int InputSize => InputShape.Size;

    /// <inheritdoc />
    public override int OutputSize => OutputShape.Size;

    /// <inheritdoc />
    public override string Kind => "conv2d";

    /// <summary>Output channels <c>F</c>.</summary>
    public int Filters => OutputShape.Channels;

    /// <summary>Kernel height and width.</summary>
    public Size2D Kernel => new(_g.KernelH, _g.KernelW);

    /// <summary>Stride.</summary>
    public Size2D Stride => new(_g.StrideH, _g.StrideW);

    /// <summary>Dilation.</summary>
    public Size2D Dilation => new(_g.DilationH, _g.DilationW);

    /// <summary>The padding as given (<see cref="Padding2D.Same"/> stays unresolved here).</summary>
    public Padding2D Padding { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias => _bias is not null;

    /// <summary>The activation.</summary>
    public IActivation Activation { get; }

    /// <summary>The initialiser used for <c>W</c>.</summary>
    public IInitializer WeightInitializer { get; }

    /// <summary>The weights <c>[C·KH·KW x F]</c> (a view: writing to it changes the layer); see the remarks for the layout.</summary>
    public Matrix<T> Weights => _weights.AsMatrix();

    /// <summary>The weight parameter <c>W</c>.</summary>
    public Parameter<T> WeightParameter => _weights;

    /// <summary>The bias parameter <c>b</c> (<c>[1 x F]</c>), or null without a bias.</summary>
    public Parameter<T>? BiasParameter => _bias;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public override string Describe()
    {
        string stride = _g.StrideH == 1 && _g.StrideW == 1 ? "" : $", stride {Stride}";
        string dilation = _g.DilationH == 1 && _g.DilationW == 1 ? "" : $", dilation {Dilation}";
        string padding = Padding == Padding2D.Valid ? "" : $", {Padding}";
        return $"conv2d({Filters}, {Kernel}{stride}{padding}{dilation}, {Activation.Name})";
    }

    /// <inheritdoc />
    public override void Initialize(RandomSource random)
    {
        WeightInitializer.Initialize(_weights.Value, _weights.Rows, Filters * _g.Taps, random);
        _bias?.Value.Clear();
    }

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training)
    {
        int m = _g.OutPixels * batchSize;
        Span<T> z = Rent(ref _z, m * Filters);
        ReadOnlySpan<T> col = input;
        if (!_pointwise)
        {
            Span<T> lowered = Rent(ref _col, m * _weights.Rows);
            WindowKernels.Gather(input, batchSize, _g, 0, _g.OutPixels, lowered);
            col = lowered;
        }

        // Z = col · W: [OH·OW·batch x C·KH·KW] · [C·KH·KW x F], column-major, is the output batch itself.
        Gemm.Multiply(false, false, m, Filters, _weights.Rows, T.One, col, m, _weights.Value, _weights.Rows, T.Zero, z, m);
        AddBias(z, m);
        Activation.Forward<T>(z, output, batchSize);
    }

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        int m = _g.OutPixels * batchSize, k = _weights.Rows;
        Span<T> dz = Rent(ref _dz, m * Filters);
        Activation.Backward(_z.AsSpan(0, m * Filters), output, outputGradient, dz, batchSize);

        // db[f] = Σ over samples and pixels of dZ[:, f]: one contiguous column of OH·OW·batch values per filter.
        if (_bias is not null)
        {
            Span<T> db = _bias.Gradient;
            for (int f = 0; f < Filters; f++)
            {
                db[f] = TensorPrimitives.Sum(dz.Slice(f * m, m));
            }
        }

        // dW[k, f] = Σ over rows r of col[r, k] · dZ[r, f].
        ReadOnlySpan<T> col = _pointwise ? input : _col.AsSpan(0, m * k);
        Gemm.Multiply(true, false, k, Filters, m, T.One, col, m, dz, m, T.Zero, _weights.Gradient, k);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        if (_pointwise)
        {
            // dInput = dZ · Wᵀ directly: the input is its own column matrix.
            Gemm.Multiply(false, true, m, k, Filters, T.One, dz, m, _weights.Value, k, T.Zero, inputGradient, m);
            return;
        }

        // dcol = dZ · Wᵀ overwrites col (no longer needed), then col2im sums it back onto the pixels.
        Span<T> dcol = _col.AsSpan(0, m * k);
        Gemm.Multiply(false, true, m, k, Filters, T.One, dz, m, _weights.Value, k, T.Zero, dcol, m);
        WindowKernels.Scatter<T>(dcol, batchSize, _g, inputGradient);
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize)
    {
        int m = _g.OutPixels * batchSize, k = _weights.Rows;
        Span<T> z = output[..(m * Filters)];
        if (_pointwise)
        {
            Gemm.Multiply(false, false, m, Filters, k, T.One, input, m, _weights.Value, k, T.Zero, z, m);
        }
        else
        {
            // Lower a few output pixels at a time into rented scratch; each chunk's product lands in its own rows of Z.
            int pixels = Math.Clamp(InferScratchValues / (batchSize * k), 1, _g.OutPixels);
            T[] scratch = ArrayPool<T>.Shared.Rent(pixels * batchSize * k);
            try
            {
                for (int p0 = 0; p0 < _g.OutPixels; p0 += pixels)
                {
                    int p1 = Math.Min(p0 + pixels, _g.OutPixels), rows = (p1 - p0) * batchSize;
                    Span<T> col = scratch.AsSpan(0, rows * k);
                    WindowKernels.Gather(input, batchSize, _g, p0, p1, col);
                    Gemm.Multiply(false, false, rows, Filters, k, T.One, col, rows, _weights.Value, k, T.Zero, z[(p0 * batchSize)..], m);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scratch);
            }
        }

        AddBias(z, m);
        Activation.Forward<T>(z, z, batchSize);
    }

    /// <summary>Z[:, f] += b[f]: filter f's outputs for every pixel and sample are one contiguous column.</summary>
    private void AddBias(Span<T> z, int m)
    {
        if (_bias is null)
        {
            return;
        }

        ReadOnlySpan<T> b = _bias.Value;
        for (int f = 0; f < b.Length; f++)
        {
            Span<T> column = z.Slice(f * m, m);
            TensorPrimitives.Add(column, b[f], column);
        }
    }
}
