using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Layers;

/// <summary>
/// Batch normalisation (Ioffe and Szegedy, 2015) of each unit over the batch:
/// <c>x̂ = (x - μ_B) / √(σ²_B + ε)</c>, <c>output = γ x̂ + β</c>, with <c>μ_B</c> and the biased <c>σ²_B</c> of the
/// batch in training. Training also updates the running statistics <c>μ ← m μ + (1 - m) μ_B</c>,
/// <c>σ² ← m σ² + (1 - m) σ²_B</c> (Keras' convention for the momentum <c>m</c>), which inference uses instead.
/// Backward, per unit over a batch of <c>N</c>: <c>dβ = Σ dy</c>, <c>dγ = Σ dy x̂</c>,
/// <c>dx = γ / (N √(σ²_B + ε)) (N dy - Σ dy - x̂ Σ dy x̂)</c>.
/// </summary>
/// <remarks><c>γ</c> and <c>β</c> are <see cref="Parameters"/> (not regularised); the running mean and variance are
/// <see cref="Buffers"/>.</remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNormLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> _gamma, _beta, _runningMean, _runningVariance;
    private readonly Parameter<T>[] _parameters, _buffers;
    private readonly T[] _inverseStd;
    private T[] _normalized = [];

    /// <summary>Creates a batch-norm layer with <c>γ = 1</c>, <c>β = 0</c>, running mean 0 and variance 1.</summary>
    /// <param name="size">Units in and out.</param>
    /// <param name="momentum">Running-statistics momentum <c>m</c>, in [0, 1).</param>
    /// <param name="epsilon">Variance offset <c>ε</c>, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public BatchNormLayer(int size, double momentum = 0.99, double epsilon = 1e-3)
    {
        ThrowHelper.ThrowIfUnsupportedType<T>();
        ThrowHelper.ThrowIfNotPositive(size, nameof(size));
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in [0, 1). Received: momentum={momentum}");
        }

        ThrowHelper.ThrowIfNotPositive(epsilon, nameof(epsilon));
        Momentum = momentum;
        Epsilon = epsilon;
        _gamma = new Parameter<T>("gamma", 1, size, regularized: false);
        _beta = new Parameter<T>("beta", 1, size, regularized: false);
        _runningMean = new Parameter<T>("running_mean", 1, size, regularized: false);
        _runningVariance = new Parameter<T>("running_variance", 1, size, regularized: false);
        _gamma.Value.Fill(T.One);
        _runningVariance.Value.Fill(T.One);
        _parameters = [_gamma, _beta];
        _buffers = [_runningMean, _runningVariance];
        _inverseStd = new T[size];
    }

    /// <summary>Running-statistics momentum <c>m</c>.</summary>
    public double Momentum { get; }

    /// <summary>Variance offset <c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override int InputSize => _gamma.Columns;

    /// <inheritdoc />
    public override int OutputSize => _gamma.Columns;

    /// <inheritdoc />
    public override string Kind => "batchnorm";

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"batchnorm(momentum={Momentum}, epsilon={Epsilon})");

    /// <summary><c>[γ, β]</c>.</summary>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary><c>[running mean, running variance]</c>.</summary>
    public override IReadOnlyList<Parameter<T>> Buffers => _buffers;

    /// <inheritdoc />
    protected internal override void Initialize(RandomSource random)
    {
        _gamma.Value.Fill(T.One);
        _beta.Value.Clear();
        _runningMean.Value.Clear();
        _runningVariance.Value.Fill(T.One);
    }

    /// <inheritdoc />
    protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training)
    {
        if (!training)
        {
            Infer(input, output, batchSize);
            return;
        }

        Span<T> normalized = Rent(ref _normalized, batchSize * OutputSize);
        T n = T.CreateTruncating(batchSize), eps = T.CreateTruncating(Epsilon);
        T m = T.CreateTruncating(Momentum), oneMinusM = T.CreateTruncating(1 - Momentum);
        for (int j = 0; j < OutputSize; j++)
        {
            ReadOnlySpan<T> x = input.Slice(j * batchSize, batchSize);
            Span<T> xhat = normalized.Slice(j * batchSize, batchSize);

            // μ_B = Σx / N; σ²_B = Σ(x - μ_B)² / N (two passes: no cancellation).
            T mean = TensorPrimitives.Sum(x) / n;
            TensorPrimitives.Subtract(x, mean, xhat);
            T variance = TensorPrimitives.SumOfSquares(xhat) / n;
            T inverseStd = T.One / T.Sqrt(variance + eps);
            _inverseStd[j] = inverseStd;
            TensorPrimitives.Multiply(xhat, inverseStd, xhat);
            Span<T> y = output.Slice(j * batchSize, batchSize);
            TensorPrimitives.Multiply(xhat, _gamma.Value[j], y);
            TensorPrimitives.Add(y, _beta.Value[j], y);

            _runningMean.Value[j] = m * _runningMean.Value[j] + oneMinusM * mean;
            _runningVariance.Value[j] = m * _runningVariance.Value[j] + oneMinusM * variance;
        }
    }

    /// <inheritdoc />
    protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
    {
        T n = T.CreateTruncating(batchSize);
        for (int j = 0; j < OutputSize; j++)
        {
            ReadOnlySpan<T> dy = outputGradient.Slice(j * batchSize, batchSize);
            ReadOnlySpan<T> xhat = _normalized.AsSpan(j * batchSize, batchSize);
            T sumDy = TensorPrimitives.Sum(dy);
            T sumDyXhat = TensorPrimitives.Dot(dy, xhat);
            _beta.Gradient[j] = sumDy;
            _gamma.Gradient[j] = sumDyXhat;
            if (!inputGradient.IsEmpty)
            {
                // dx = γ σ⁻¹ / N · (N dy - Σdy - x̂ Σ(dy x̂))
                Span<T> dx = inputGradient.Slice(j * batchSize, batchSize);
                T scale = _gamma.Value[j] * _inverseStd[j] / n;
                for (int b = 0; b < batchSize; b++)
                {
                    dx[b] = scale * (n * dy[b] - sumDy - xhat[b] * sumDyXhat);
                }
            }
        }
    }

    /// <inheritdoc />
    public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize)
    {
        T eps = T.CreateTruncating(Epsilon);
        for (int j = 0; j < OutputSize; j++)
        {
            // output = γ (x - μ) / √(σ² + ε) + β = a x + c with a = γ / √(σ² + ε), c = β - a μ.
            T a = _gamma.Value[j] / T.Sqrt(_runningVariance.Value[j] + eps);
            T c = _beta.Value[j] - a * _runningMean.Value[j];
            Span<T> y = output.Slice(j * batchSize, batchSize);
            TensorPrimitives.Multiply(input.Slice(j * batchSize, batchSize), a, y);
            TensorPrimitives.Add(y, c, y);
        }
    }
}
