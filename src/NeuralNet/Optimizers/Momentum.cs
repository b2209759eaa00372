using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// Gradient descent with (heavy-ball) momentum, in the form of Sutskever et al. (2013):
/// <c>v ← μ v - η g</c>, <c>θ ← θ + v</c>. With <c>nesterov</c> the look-ahead form used by Keras:
/// <c>v ← μ v - η g</c>, <c>θ ← θ + μ v - η g</c>.
/// </summary>
public sealed class Momentum : Optimizer
{
    /// <summary>Creates momentum SGD.</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="momentum">Decay <c>μ</c> of the velocity, in [0, 1).</param>
    /// <param name="nesterov">Use Nesterov's accelerated gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public Momentum(double learningRate = 0.01, double momentum = 0.9, bool nesterov = false)
        : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in [0, 1). Received: momentum={momentum}");
        }

        MomentumCoefficient = momentum;
        Nesterov = nesterov;
    }

    /// <summary>The velocity decay <c>μ</c>.</summary>
    public double MomentumCoefficient { get; }

    /// <summary>Whether the Nesterov look-ahead form is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override string Name => Nesterov ? "nesterov" : "momentum";

    /// <inheritdoc />
    protected override int SlotsPerParameter => 1;

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        T rate = T.CreateTruncating(LearningRate), mu = T.CreateTruncating(MomentumCoefficient);
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient, velocity = Slot<T>(0, p);
            // Vector<T> lanes, then a scalar tail with the same operations in the same order.
            T look = Nesterov ? mu : T.One, direct = Nesterov ? rate : T.Zero;
            int i = 0;
            if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
            {
                Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value), vVelocity = MemoryMarshal.Cast<T, Vector<T>>(velocity);
                ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
                Vector<T> vMu = new(mu), vRate = new(rate), vLook = new(look), vDirect = new(direct);
                for (int k = 0; k < vValue.Length; k++)
                {
                    Vector<T> g = vGradient[k];
                    Vector<T> v = vMu * vVelocity[k] - vRate * g;
                    vVelocity[k] = v;
                    vValue[k] += vLook * v - vDirect * g;
                }

                i = vValue.Length * Vector<T>.Count;
            }

            for (; i < value.Length; i++)
            {
                // v = μ v - η g;  θ = θ + v (classical: look = 1, direct = 0) or θ + μ v - η g (Nesterov)
                T g = gradient[i];
                T v = mu * velocity[i] - rate * g;
                velocity[i] = v;
                value[i] += look * v - direct * g;
            }
        }
    }
}
