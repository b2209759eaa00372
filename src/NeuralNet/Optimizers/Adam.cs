using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015) and, with a weight decay, AdamW (Loshchilov and Hutter, 2019). At step <c>t</c>:
/// <c>m ← β1 m + (1 - β1) g</c>, <c>v ← β2 v + (1 - β2) g²</c>, <c>m̂ = m / (1 - β1^t)</c>, <c>v̂ = v / (1 - β2^t)</c>,
/// <c>θ ← θ - η m̂ / (√v̂ + ε)</c>. AdamW first shrinks the regularised tensors
/// (<see cref="Parameter{T}.IsRegularized"/>, the weights but not the biases): <c>θ ← θ (1 - η λ)</c>, the decay
/// decoupled from the gradient. A moment that falls below the smallest normal number is stored as a zero of its sign
/// (flush to zero, see <see cref="AdamStepWork{T}"/>): the units whose gradient stopped no longer cost a microcode
/// assist per multiply on every later step.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>The flat update for the element type in use (<see cref="AdamStepWork{T}"/>), made at the first step.</summary>
    private object? _work;

    /// <summary>Creates Adam (or AdamW when <paramref name="weightDecay"/> is positive).</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to <c>√v̂</c>.</param>
    /// <param name="weightDecay">Decoupled weight decay <c>λ</c> (0 for plain Adam).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.0)
        : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"beta1 must be in [0, 1). Received: beta1={beta1}");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"beta2 must be in [0, 1). Received: beta2={beta2}");
        }

        ThrowHelper.ThrowIfNegativeOrNotFinite(epsilon, nameof(epsilon));
        ThrowHelper.ThrowIfNegativeOrNotFinite(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>Creates AdamW: Adam with decoupled weight decay <paramref name="weightDecay"/> on regularised tensors.</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="weightDecay">Decay <c>λ</c> per unit of learning rate.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="epsilon">Added to <c>√v̂</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public static Adam AdamW(double learningRate = 0.001, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        new(learningRate, beta1, beta2, epsilon, weightDecay);

    /// <summary><c>β1</c>.</summary>
    public double Beta1 { get; }

    /// <summary><c>β2</c>.</summary>
    public double Beta2 { get; }

    /// <summary><c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight decay <c>λ</c>; 0 for plain Adam.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public override string Name => WeightDecay > 0 ? "adamw" : "adam";

    /// <inheritdoc />
    protected override int SlotsPerParameter => 2;

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        (T b1, T b2, T oneMinusB1, T oneMinusB2, T eps, T stepScale, T inverseCorrection2, T decay) = Scalars<T>(StepCount);
        AdamStepWork<T> work = Work<T>();
        work.Set(SlotArrays, parameters.Count, b1, b2, oneMinusB1, oneMinusB2, eps, stepScale, inverseCorrection2, decay, WeightDecay > 0);
        work.Step(parameters);
        MaxState = work.MaxState;
    }

    /// <inheritdoc />
    private protected override FlatStepWork<T>? FlatWork<T>() => Work<T>();

    /// <summary>
    /// With finite g and m (<c>max(|m|, |g|) = a</c>), v ≥ 0 (never NaN; +∞ allowed), <c>β2 &gt; 0</c> (so
    /// <c>β2 · ∞</c> is not NaN) and <c>ε &gt; 0</c>: m' = β1 m + (1 - β1) g is finite with <c>|m'| ≤ a (1 + 2u)²</c>
    /// (the two coefficients sum to 1 within an ulp); v' = β2 v + (1 - β2) g² lies in [0, ∞]; the denominator
    /// <c>√(v'/(1 - β2^t)) + ε</c> lies in [ε, ∞], so <c>|m'/den| ≤ |m'|/ε (1 + u)</c> (0 when den = ∞); and
    /// <c>|θ'| ≤ (|θ| |s| + η/(1 - β1^t) · a/ε)(1 + u)⁵</c>. The bound returned is that with a margin of 10⁻⁶ (more than
    /// five roundings of float), and NaN when a is not small enough for m' to stay finite.
    /// </summary>
    private protected override double StepBound<T>(double maxValue, double maxGradient, double maxState)
    {
        (_, T b2, _, _, T eps, T stepScale, _, T decay) = Scalars<T>(StepCount + 1);
        double a = Math.Max(maxState, maxGradient);
        if (!(eps > T.Zero) || !(b2 > T.Zero) || !(a <= Largest<T>() / 4))
        {
            return double.NaN;
        }

        double scale = WeightDecay > 0 ? Math.Max(1, Math.Abs(double.CreateTruncating(decay))) : 1;
        return (maxValue * scale + Math.Abs(double.CreateTruncating(stepScale)) * a / double.CreateTruncating(eps)) * (1 + 1e-6);
    }

    /// <summary>The update's scalars at step <paramref name="t"/>, rounded to <typeparamref name="T"/> once.</summary>
    private (T B1, T B2, T OneMinusB1, T OneMinusB2, T Eps, T StepScale, T InverseCorrection2, T Decay) Scalars<T>(double t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T eps = T.CreateTruncating(Epsilon);
        T b1 = T.CreateTruncating(Beta1), b2 = T.CreateTruncating(Beta2);
        T oneMinusB1 = T.CreateTruncating(1 - Beta1), oneMinusB2 = T.CreateTruncating(1 - Beta2);
        T correction1 = T.CreateTruncating(1 - Math.Pow(Beta1, t)), correction2 = T.CreateTruncating(1 - Math.Pow(Beta2, t));
        T decay = T.CreateTruncating(1 - LearningRate * WeightDecay);
        T stepScale = -T.CreateTruncating(LearningRate) / correction1, inverseCorrection2 = T.One / correction2;
        return (b1, b2, oneMinusB1, oneMinusB2, eps, stepScale, inverseCorrection2, decay);
    }

    private AdamStepWork<T> Work<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        _work as AdamStepWork<T> ?? (AdamStepWork<T>)(_work = new AdamStepWork<T>());
}
