using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// RMSProp (Tieleman and Hinton, 2012): <c>s ← ρ s + (1 - ρ) g²</c>, <c>θ ← θ - η g / (√s + ε)</c>. With the options of
/// PyTorch's <c>torch.optim.RMSprop</c> (same update rules, <c>ρ</c> is its <c>alpha</c>): <c>centered</c> keeps the mean
/// gradient <c>m ← ρ m + (1 - ρ) g</c> and divides by the estimated standard deviation, <c>s̃ = s - m²</c> in place of
/// <c>s</c>; <c>momentum</c> <c>μ &gt; 0</c> accumulates the scaled step, <c>b ← μ b + g / (√s̃ + ε)</c>, <c>θ ← θ - η b</c>.
/// State below the smallest normal number (<c>s</c>, except in the centred form, <c>m</c> and <c>b</c>) is stored as a
/// zero of its sign (<see cref="FlushToZero"/>): a gradient that stopped no longer costs a microcode assist per step.
/// </summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>Creates RMSProp.</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="rho">Decay <c>ρ</c> of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">Added to <c>√s</c>.</param>
    /// <param name="momentum">Momentum <c>μ</c> of the scaled step, in [0, 1); 0 (default) is plain RMSProp.</param>
    /// <param name="centered">Whether to divide by the centred second moment <c>s - m²</c> (Graves, 2013).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public RmsProp(double learningRate = 0.001, double rho = 0.9, double epsilon = 1e-7, double momentum = 0, bool centered = false)
        : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in [0, 1). Received: momentum={momentum}");
        }

        MomentumCoefficient = momentum;
        Centered = centered;
        if (!(rho >= 0 && rho < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, $"rho must be in [0, 1). Received: rho={rho}");
        }

        ThrowHelper.ThrowIfNegativeOrNotFinite(epsilon, nameof(epsilon));
        Rho = rho;
        Epsilon = epsilon;
    }

    /// <summary><c>ρ</c>.</summary>
    public double Rho { get; }

    /// <summary><c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <summary>The momentum <c>μ</c> (0 when off).</summary>
    public double MomentumCoefficient { get; }

    /// <summary>Whether the centred variant is used.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <summary>Slot 0 holds <c>s</c>; then <c>b</c> with momentum; then <c>m</c> when centred.</summary>
    protected override int SlotsPerParameter => 1 + (MomentumCoefficient > 0 ? 1 : 0) + (Centered ? 1 : 0);

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        if (MomentumCoefficient > 0 || Centered)
        {
            StepVariant(parameters);
            return;
        }

        T rate = T.CreateTruncating(LearningRate), eps = T.CreateTruncating(Epsilon);
        T rho = T.CreateTruncating(Rho), oneMinusRho = T.CreateTruncating(1 - Rho), minNormal = FlushToZero.MinNormal<T>();
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient, mean = Slot<T>(0, p);

            // Vector<T> lanes, then a scalar tail with the same operations in the same order.
            int i = 0;
            if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
            {
                Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value), vMean = MemoryMarshal.Cast<T, Vector<T>>(mean);
                ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
                Vector<T> vRho = new(rho), vOneMinusRho = new(oneMinusRho), vEps = new(eps), vRate = new(rate), vMinNormal = new(minNormal);
                for (int k = 0; k < vValue.Length; k++)
                {
                    Vector<T> g = vGradient[k];
                    Vector<T> s = FlushToZero.Apply(vRho * vMean[k] + vOneMinusRho * (g * g), vMinNormal);
                    vMean[k] = s;
                    vValue[k] -= vRate * (g / (Vector.SquareRoot(s) + vEps));
                }

                i = vValue.Length * Vector<T>.Count;
            }

            for (; i < value.Length; i++)
            {
                // s = ρ s + (1 - ρ) g²;  θ = θ - η g / (√s + ε)
                T g = gradient[i];
                T s = FlushToZero.Apply(rho * mean[i] + oneMinusRho * (g * g), minNormal);
                mean[i] = s;
                value[i] -= rate * (g / (T.Sqrt(s) + eps));
            }
        }
    }

    /// <summary>The momentum and centred forms, PyTorch's <c>RMSprop</c> update element by element.</summary>
    private void StepVariant<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = T.CreateTruncating(LearningRate), eps = T.CreateTruncating(Epsilon), mu = T.CreateTruncating(MomentumCoefficient);
        T rho = T.CreateTruncating(Rho), oneMinusRho = T.CreateTruncating(1 - Rho), minNormal = FlushToZero.MinNormal<T>();
        bool momentum = MomentumCoefficient > 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient, square = Slot<T>(0, p);
            Span<T> buffer = momentum ? Slot<T>(1, p) : default, mean = Centered ? Slot<T>(momentum ? 2 : 1, p) : default;
            for (int i = 0; i < value.Length; i++)
            {
                // s = ρ s + (1 - ρ) g²;  centred: m = ρ m + (1 - ρ) g, s̃ = s - m²
                T g = gradient[i];
                T s = rho * square[i] + oneMinusRho * (g * g);

                // Not in the centred form: there s̃ = s - m² ≥ 0 needs s kept exact while m² is subnormal.
                s = Centered ? s : FlushToZero.Apply(s, minNormal);
                square[i] = s;
                if (Centered)
                {
                    T m = FlushToZero.Apply(rho * mean[i] + oneMinusRho * g, minNormal);
                    mean[i] = m;
                    s -= m * m;
                }

                // momentum: b = μ b + g / (√s̃ + ε), θ = θ - η b;  else θ = θ - η g / (√s̃ + ε)
                T step = g / (T.Sqrt(s) + eps);
                if (momentum)
                {
                    step = FlushToZero.Apply(mu * buffer[i] + step, minNormal);
                    buffer[i] = step;
                }

                value[i] -= rate * step;
            }
        }
    }
}
