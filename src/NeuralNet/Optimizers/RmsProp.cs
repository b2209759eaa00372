using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>RMSProp (Tieleman and Hinton, 2012): <c>s ← ρ s + (1 - ρ) g²</c>, <c>θ ← θ - η g / (√s + ε)</c>.</summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>Creates RMSProp.</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="rho">Decay <c>ρ</c> of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">Added to <c>√s</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public RmsProp(double learningRate = 0.001, double rho = 0.9, double epsilon = 1e-7)
        : base(learningRate)
    {
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

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <inheritdoc />
    protected override int SlotsPerParameter => 1;

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        T rate = T.CreateTruncating(LearningRate), eps = T.CreateTruncating(Epsilon);
        T rho = T.CreateTruncating(Rho), oneMinusRho = T.CreateTruncating(1 - Rho);
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient, mean = Slot<T>(0, p);

            // Vector<T> lanes, then a scalar tail with the same operations in the same order.
            int i = 0;
            if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
            {
                Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value), vMean = MemoryMarshal.Cast<T, Vector<T>>(mean);
                ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
                Vector<T> vRho = new(rho), vOneMinusRho = new(oneMinusRho), vEps = new(eps), vRate = new(rate);
                for (int k = 0; k < vValue.Length; k++)
                {
                    Vector<T> g = vGradient[k];
                    Vector<T> s = vRho * vMean[k] + vOneMinusRho * (g * g);
                    vMean[k] = s;
                    vValue[k] -= vRate * (g / (Vector.SquareRoot(s) + vEps));
                }

                i = vValue.Length * Vector<T>.Count;
            }

            for (; i < value.Length; i++)
            {
                // s = ρ s + (1 - ρ) g²;  θ = θ - η g / (√s + ε)
                T g = gradient[i];
                T s = rho * mean[i] + oneMinusRho * (g * g);
                mean[i] = s;
                value[i] -= rate * (g / (T.Sqrt(s) + eps));
            }
        }
    }
}
