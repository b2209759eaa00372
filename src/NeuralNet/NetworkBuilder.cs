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
    private readonly List<Func<int, Layer<T>>> _factories = [];
    private long? _seed;

    /// <summary>Starts a network with <paramref name="inputSize"/> inputs per sample.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is not positive.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public NetworkBuilder(int inputSize)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        ThrowHelper.ThrowIfNotPositive(inputSize, nameof(inputSize));
        InputSize = inputSize;
        CurrentSize = inputSize;
    }

    /// <summary>Inputs per sample.</summary>
    public int InputSize { get; }

    /// <summary>Outputs of the last layer added so far (the input size when none).</summary>
    public int CurrentSize { get; private set; }

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

        return Add(inputs => new DropoutLayer<T>(inputs, rate));
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

    /// <summary>Adds any layer. The factory receives the current width and is called once now (to learn the layer's
    /// output size) and once per <see cref="Build"/>, so each built network has its own layer instances.</summary>
    /// <param name="factory">Creates the layer for the given input size.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException">The layer's input size is not the current width.</exception>
    public NetworkBuilder<T> Add(Func<int, Layer<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Layer<T> probe = factory(CurrentSize) ?? throw new ArgumentException("The layer factory returned null.", nameof(factory));
        if (probe.InputSize != CurrentSize)
        {
            throw new ArgumentException($"The layer {probe.Describe()} expects {probe.InputSize} inputs but the previous layer has {CurrentSize} outputs.", nameof(factory));
        }

        _factories.Add(factory);
        CurrentSize = probe.OutputSize;
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
        int width = InputSize;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = _factories[i](width);
            layers[i].Initialize(random);
            width = layers[i].OutputSize;
        }

        return new Network<T>(InputSize, layers);
    }
}
