using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// iRPROP- (Igel and Hüsken, 2000), the resilient back-propagation variant FANN trains with by default: each weight has
/// its own step <c>Δ</c> and only the gradient's sign is used. If <c>g·g_prev &gt; 0</c>, <c>Δ ← min(η⁺ Δ, Δmax)</c>;
/// if <c>g·g_prev &lt; 0</c>, <c>Δ ← max(η⁻ Δ, Δmin)</c> and <c>g ← 0</c>; then <c>θ ← θ - sign(g) Δ</c> and
/// <c>g_prev ← g</c>. Full-batch: the trainer steps once per epoch on the whole training set.
/// </summary>
/// <remarks><see cref="Optimizer.LearningRate"/> is the initial step <c>Δ0</c>, used at the first step only; schedules
/// therefore have no effect on RPROP.</remarks>
public sealed class IRprop : Optimizer
{
    /// <summary>Creates iRPROP-.</summary>
    /// <param name="initialStep">Initial per-weight step <c>Δ0</c>.</param>
    /// <param name="increase"><c>η⁺</c> &gt; 1.</param>
    /// <param name="decrease"><c>η⁻</c> in (0, 1).</param>
    /// <param name="minStep"><c>Δmin</c>.</param>
    /// <param name="maxStep"><c>Δmax</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public IRprop(double initialStep = 0.1, double increase = 1.2, double decrease = 0.5, double minStep = 1e-6, double maxStep = 50)
        : base(initialStep)
    {
        if (!(increase > 1) || double.IsInfinity(increase))
        {
            throw new ArgumentOutOfRangeException(nameof(increase), increase, $"increase must be a finite number above 1. Received: increase={increase}");
        }

        if (!(decrease > 0 && decrease < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decrease), decrease, $"decrease must be in (0, 1). Received: decrease={decrease}");
        }

        ThrowHelper.ThrowIfNotPositive(minStep, nameof(minStep));
        ThrowHelper.ThrowIfNotPositive(maxStep, nameof(maxStep));
        if (maxStep < minStep)
        {
            throw new ArgumentOutOfRangeException(nameof(maxStep), maxStep, $"maxStep must be at least minStep ({minStep}). Received: maxStep={maxStep}");
        }

        Increase = increase;
        Decrease = decrease;
        MinStep = minStep;
        MaxStep = maxStep;
    }

    /// <summary><c>η⁺</c>.</summary>
    public double Increase { get; }

    /// <summary><c>η⁻</c>.</summary>
    public double Decrease { get; }

    /// <summary><c>Δmin</c>.</summary>
    public double MinStep { get; }

    /// <summary><c>Δmax</c>.</summary>
    public double MaxStep { get; }

    /// <inheritdoc />
    public override string Name => "irprop-";

    /// <inheritdoc />
    public override bool RequiresFullBatch => true;

    /// <inheritdoc />
    protected override int SlotsPerParameter => 2;

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        T up = T.CreateTruncating(Increase), down = T.CreateTruncating(Decrease);
        T min = T.CreateTruncating(MinStep), max = T.CreateTruncating(MaxStep);
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient;
            Span<T> step = Slot<T>(0, p), previous = Slot<T>(1, p);
            if (StepCount == 1)
            {
                step.Fill(T.CreateTruncating(LearningRate));
            }

            for (int i = 0; i < value.Length; i++)
            {
                T g = gradient[i];
                T product = g * previous[i];
                if (product > T.Zero)
                {
                    step[i] = T.Min(step[i] * up, max);
                }
                else if (product < T.Zero)
                {
                    step[i] = T.Max(step[i] * down, min);
                    g = T.Zero;
                }

                value[i] -= T.CreateTruncating(T.Sign(g)) * step[i];
                previous[i] = g;
            }
        }
    }
}
