using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al., 2014): in training each value is kept with probability <c>1 - p</c> and scaled
/// by <c>1 / (1 - p)</c>, otherwise zeroed, so the expected output equals the input; in inference
/// (<see cref="Infer"/>, <see cref="Network{T}.Predict(MathNet.Numerics.LinearAlgebra.Matrix{T})"/>) it is the identity.
/// Backward: <c>dInput = mask ⊙ dOutput</c> with the same mask.
/// </summary>
/// <remarks>The mask is drawn from a <see cref="RandomSource"/> forked from the network's seeded source at
/// <see cref="Initialize"/>, so seeded runs reproduce bit for bit; <see cref="GetRandomState"/> and
/// <see cref="SetRandomState"/> let a checkpoint resume the mask stream.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DropoutLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FeatureShape _shape;
    private RandomSource _random = new(0);
    private T[] _mask = [];

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="size">Units in and out.</param>
    /// <param name="rate">Drop probability <c>p</c>, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public DropoutLayer(int size, double rate)
        : this(FeatureShape.Flat(size), rate)
    {
    }

    /// <summary>Creates a dropout layer that keeps the shape of its input (images stay images).</summary>
    /// <param name="shape">The shape in and out.</param>
    /// <param name="rate">Drop probability <c>p</c>, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="shape"/> is not positive, or
    /// <paramref name="rate"/> is out of range.</exception>
    public DropoutLayer(FeatureShape shape, double rate)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        shape.Validate(nameof(shape));
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"rate must be in [0, 1). Received: rate={rate}");
        }

        _shape = shape;
        Rate = rate;
    }

    /// <summary>The drop probability <c>p</c>.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public override int InputSize => _shape.Size;

    /// <inheritdoc />
    public override int OutputSize => _shape.Size;

    /// <inheritdoc />
    public override FeatureShape InputShape => _shape;

    /// <inheritdoc />
    public override FeatureShape OutputShape => _shape;

    /// <inheritdoc />
    public override string Kind => "dropout";

    /// <inheritdoc />
    public override string Describe() => $"dropout({Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>The position of the mask stream, for checkpoints.</summary>
    public RandomSourceState GetRandomState() => _random.GetState();

    /// <summary>Continues the mask stream from a state of <see cref="GetRandomState"/>.</summary>
    /// <param name="state">The state.</param>
    /// <exception cref="ArgumentException">The state is invalid (all zeros).</exception>
    public void SetRandomState(RandomSourceState state) => _random.SetState(state);

    /// <inheritdoc />
    public override void Initialize(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random.Fork();
    }

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training)
    {
        int n = batchSize * InputSize;
        Span<T> mask = Rent(ref _mask, n);
        if (!training || Rate == 0)
        {
            mask.Fill(T.One);
            input[..n].CopyTo(output);
            return;
        }

        // Keep when u >= p (probability 1 - p), scaled so that E[output] = input.
        T scale = T.One / T.CreateTruncating(1 - Rate);
        _random.FillKeepMask(mask, Rate, scale);

        TensorPrimitives.Multiply(input[..n], mask, output);
    }

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        if (!inputGradient.IsEmpty)
        {
            int n = batchSize * InputSize;
            TensorPrimitives.Multiply(outputGradient[..n], _mask.AsSpan(0, n), inputGradient);
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize)
    {
        int n = batchSize * InputSize;
        input[..n].CopyTo(output);
    }
}
