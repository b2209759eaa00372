using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet;

/// <summary>
/// Fluent builder for a <see cref="Network{T}"/>: give the input size, add layers, then <see cref="Build"/>.
/// Every method returns this builder so calls chain.
/// </summary>
/// <example>
/// <code>
/// var net = new NetworkBuilder&lt;float&gt;(inputSize: 784)
///     .WithSeed(42)
///     .AddDense(128, Activation.ReLU)
///     .AddDense(10, Activation.Softmax)
///     .Build();
/// </code>
/// </example>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class NetworkBuilder<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Func<FeatureShape, Layer<T>>> _factories = [];
    private long? _seed;

    /// <summary>Starts a network with <paramref name="inputSize"/> inputs per sample (a flat shape, <c>1 x 1 x inputSize</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is not positive.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public NetworkBuilder(int inputSize)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        ThrowHelper.ThrowIfNotPositive(inputSize, nameof(inputSize));
        InputShape = FeatureShape.Flat(inputSize);
        CurrentShape = InputShape;
    }

    /// <summary>Starts a network whose samples have the shape <paramref name="inputShape"/> (e.g. <c>(1, 28, 28)</c> for
    /// a grey 28x28 image): rows of <c>C·H·W</c> features in channel-major order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public NetworkBuilder(FeatureShape inputShape)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        inputShape.Validate(nameof(inputShape));
        InputShape = inputShape;
        CurrentShape = inputShape;
    }

    /// <summary>Inputs per sample.</summary>
    public int InputSize => InputShape.Size;

    /// <summary>The shape of one input sample.</summary>
    public FeatureShape InputShape { get; }

    /// <summary>Outputs of the last layer added so far (the input size when none).</summary>
    public int CurrentSize => CurrentShape.Size;

    /// <summary>The output shape of the last layer added so far (the input shape when none): what the next layer receives.</summary>
    public FeatureShape CurrentShape { get; private set; }

    /// <summary>Seeds the initial weights (and any dropout masks): the same seed builds the same network, bit for bit.
    /// Without a seed each build draws a fresh one.</summary>
    public NetworkBuilder<T> WithSeed(long seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Adds a fully connected layer: <c>output = activation(input · W + b)</c>.</summary>
    /// <param name="units">Outputs of the layer.</param>
    /// <param name="activation">Activation; identity when null.</param>
    /// <param name="initializer">Weight initialiser; <see cref="Initializer.DefaultFor"/> the activation when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive.</exception>
    public NetworkBuilder<T> AddDense(int units, IActivation? activation = null, IInitializer? initializer = null)
    {
        ThrowHelper.ThrowIfNotPositive(units, nameof(units));
        return Add(inputs => new DenseLayer<T>(inputs, units, activation, initializer));
    }

    /// <summary>Adds inverted dropout: in training each value is zeroed with probability <paramref name="rate"/> and the
    /// rest scaled by <c>1 / (1 - rate)</c>; the identity in prediction. The mask is seeded from <see cref="WithSeed"/>.</summary>
    /// <param name="rate">Drop probability, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is out of range.</exception>
    public NetworkBuilder<T> AddDropout(double rate)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"rate must be in [0, 1). Received: rate={rate}");
        }

        return Add((FeatureShape shape) => new DropoutLayer<T>(shape, rate));
    }

    /// <summary>Adds batch normalisation: <c>γ (x - μ) / √(σ² + ε) + β</c> per unit, batch statistics in training and
    /// running statistics (updated with <paramref name="momentum"/>) in prediction.</summary>
    /// <param name="momentum">Running-statistics momentum, in [0, 1).</param>
    /// <param name="epsilon">Variance offset, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public NetworkBuilder<T> AddBatchNorm(double momentum = 0.99, double epsilon = 1e-3)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in [0, 1). Received: momentum={momentum}");
        }

        ThrowHelper.ThrowIfNotPositive(epsilon, nameof(epsilon));
        return Add(inputs => new BatchNormLayer<T>(inputs, momentum, epsilon));
    }

    /// <summary>
    /// Adds a 2-D convolution of <paramref name="filters"/> filters over the current <c>C x H x W</c> shape (start the
    /// builder from a <see cref="FeatureShape"/>):
    /// <c>output[f, oy, ox] = activation(b[f] + Σ over c, ky, kx of W[f, c, ky, kx] · input[c, oy·sH - pT + ky·dH, ox·sW - pL + kx·dW])</c>;
    /// see <see cref="Conv2DLayer{T}"/> for the output size and the weight layout.
    /// </summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernel">Kernel height and width (an int for a square kernel).</param>
    /// <param name="stride">Step between windows; 1 when null.</param>
    /// <param name="padding">Zero padding; <see cref="Padding2D.Valid"/> by default.</param>
    /// <param name="dilation">Spacing between kernel taps; 1 when null.</param>
    /// <param name="activation">Activation; identity when null.</param>
    /// <param name="useBias">Whether each filter has a bias.</param>
    /// <param name="initializer">Weight initialiser (fan-in <c>C·KH·KW</c>); <see cref="Initializer.DefaultFor"/> the activation when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="filters"/> or a side of <paramref name="kernel"/>,
    /// <paramref name="stride"/> or <paramref name="dilation"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window does not fit the current shape (the message names the layer and
    /// the shape it receives).</exception>
    public NetworkBuilder<T> AddConv2D(int filters, Size2D kernel, Size2D? stride = null, Padding2D padding = default, Size2D? dilation = null,
        IActivation? activation = null, bool useBias = true, IInitializer? initializer = null)
    {
        ThrowHelper.ThrowIfNotPositive(filters, nameof(filters));
        kernel.Validate(nameof(kernel));
        stride?.Validate(nameof(stride));
        dilation?.Validate(nameof(dilation));
        return AddWindowLayer(shape => new Conv2DLayer<T>(shape, filters, kernel, stride, padding, dilation, activation, useBias, initializer), nameof(kernel));
    }

    /// <summary>Adds 2-D max pooling: each output is the largest value of its <paramref name="pool"/> window, channel by
    /// channel (see <see cref="MaxPool2DLayer{T}"/>).</summary>
    /// <param name="pool">Window height and width (an int for a square window).</param>
    /// <param name="stride">Step between windows; the window size when null.</param>
    /// <param name="padding">Padding, narrower than the window on every side; <see cref="Padding2D.Valid"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side of <paramref name="pool"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window does not fit the current shape, or padding covers a window.</exception>
    public NetworkBuilder<T> AddMaxPool2D(Size2D pool, Size2D? stride = null, Padding2D padding = default)
    {
        pool.Validate(nameof(pool));
        stride?.Validate(nameof(stride));
        return AddWindowLayer(shape => new MaxPool2DLayer<T>(shape, pool, stride, padding), nameof(pool));
    }

    /// <summary>Adds 2-D average pooling: each output is the mean of the image pixels in its <paramref name="pool"/>
    /// window, channel by channel (padding is not counted; see <see cref="AvgPool2DLayer{T}"/>).</summary>
    /// <param name="pool">Window height and width (an int for a square window).</param>
    /// <param name="stride">Step between windows; the window size when null.</param>
    /// <param name="padding">Padding, narrower than the window on every side; <see cref="Padding2D.Valid"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side of <paramref name="pool"/> or <paramref name="stride"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The window does not fit the current shape, or padding covers a window.</exception>
    public NetworkBuilder<T> AddAvgPool2D(Size2D pool, Size2D? stride = null, Padding2D padding = default)
    {
        pool.Validate(nameof(pool));
        stride?.Validate(nameof(stride));
        return AddWindowLayer(shape => new AvgPool2DLayer<T>(shape, pool, stride, padding), nameof(pool));
    }

    /// <summary>Adds global average pooling: the mean of each channel over the whole image, <c>C x H x W</c> to a flat
    /// vector of <c>C</c> (see <see cref="GlobalAveragePoolLayer{T}"/>).</summary>
    public NetworkBuilder<T> AddGlobalAveragePool() => Add((FeatureShape shape) => new GlobalAveragePoolLayer<T>(shape));

    /// <summary>Adds a flatten layer: the current <c>C x H x W</c> shape becomes a flat vector of <c>C·H·W</c> features in
    /// channel-major order, ready for dense layers (see <see cref="FlattenLayer{T}"/>).</summary>
    public NetworkBuilder<T> AddFlatten() => Add((FeatureShape shape) => new FlattenLayer<T>(shape));

    /// <summary><see cref="Add(Func{FeatureShape, Layer{T}})"/> for a window layer: a window that does not fit the current
    /// shape is reported with the layer's position and both shapes.</summary>
    private NetworkBuilder<T> AddWindowLayer(Func<FeatureShape, Layer<T>> factory, string paramName)
    {
        try
        {
            return Add(factory);
        }
        catch (ArgumentException e) when (e.ParamName == "inputShape")
        {
            string source = _factories.Count == 0 ? "the network input" : $"layer {_factories.Count - 1}";
            string hint = CurrentShape.IsFlat ? " (a flat shape: start the builder with new NetworkBuilder<T>(new FeatureShape(channels, height, width)), or do not flatten before this layer)" : "";
            string reason = e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new ArgumentException($"Layer {_factories.Count} cannot take the shape {CurrentShape} it receives from {source}{hint}: {reason}", paramName, e);
        }
    }

    /// <summary>Adds any layer. The factory receives the current width and is called once now (to learn the layer's
    /// output shape) and once per <see cref="Build"/>, so each built network has its own layer instances.</summary>
    /// <param name="factory">Creates the layer for the given input size.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException">The layer's input size is not the current width.</exception>
    public NetworkBuilder<T> Add(Func<int, Layer<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Add((FeatureShape shape) => factory(shape.Size));
    }

    /// <summary>Adds any layer. The factory receives the current shape (<see cref="CurrentShape"/>) and is called once
    /// now (to check the layer against it and learn its output shape) and once per <see cref="Build"/>, so each built
    /// network has its own layer instances.</summary>
    /// <param name="factory">Creates the layer for the given input shape.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException">The factory returned null, or the layer does not accept the current shape
    /// (the message names the layer and both shapes).</exception>
    public NetworkBuilder<T> Add(Func<FeatureShape, Layer<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Layer<T> probe = factory(CurrentShape) ?? throw new ArgumentException("The layer factory returned null.", nameof(factory));
        if (Network<T>.ShapeMismatch(probe, CurrentShape) is { } message)
        {
            throw new ArgumentException($"Layer {_factories.Count} ({probe.Describe()}) {message} from {(_factories.Count == 0 ? "the network input" : $"layer {_factories.Count - 1}")}.", nameof(factory));
        }

        _factories.Add(factory);
        CurrentShape = probe.OutputShape;
        return this;
    }

    /// <summary>Creates the network and initialises its weights from the seed.</summary>
    /// <exception cref="InvalidOperationException">No layer was added.</exception>
    public Network<T> Build()
    {
        if (_factories.Count == 0)
        {
            throw new InvalidOperationException("Add at least one layer before Build().");
        }

        var random = new RandomSource(_seed ?? Random.Shared.NextInt64());
        var layers = new Layer<T>[_factories.Count];
        FeatureShape shape = InputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = _factories[i](shape);
            layers[i].Initialize(random);
            shape = layers[i].OutputShape;
        }

        return new Network<T>(InputShape, layers);
    }
}
