using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>AdaGrad (Duchi, Hazan and Singer, 2011): <c>G ← G + g²</c>, <c>θ ← θ - η g / (√G + ε)</c>.</summary>
public sealed class AdaGrad : Optimizer
{
    /// <summary>Creates AdaGrad.</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="epsilon">Added to <c>√G</c> to avoid division by zero.</param>
    /// <param name="initialAccumulator">Starting value of <c>G</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public AdaGrad(double learningRate = 0.01, double epsilon = 1e-7, double initialAccumulator = 0.0)
        : base(learningRate)
    {
        ThrowHelper.ThrowIfNegativeOrNotFinite(epsilon, nameof(epsilon));
        ThrowHelper.ThrowIfNegativeOrNotFinite(initialAccumulator, nameof(initialAccumulator));
        Epsilon = epsilon;
        InitialAccumulator = initialAccumulator;
    }

    /// <summary><c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <summary>Starting value of the accumulator <c>G</c>.</summary>
    public double InitialAccumulator { get; }

    /// <inheritdoc />
    public override string Name => "adagrad";

    /// <inheritdoc />
    protected override int SlotsPerParameter => 1;

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        T rate = T.CreateTruncating(LearningRate), eps = T.CreateTruncating(Epsilon);
        bool first = StepCount == 1 && InitialAccumulator != 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient, sum = Slot<T>(0, p);
            if (first)
            {
                sum.Fill(T.CreateTruncating(InitialAccumulator));
            }

            // Vector<T> lanes, then a scalar tail with the same operations in the same order.
            int i = 0;
            if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
            {
                Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value), vSum = MemoryMarshal.Cast<T, Vector<T>>(sum);
                ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
                Vector<T> vEps = new(eps), vRate = new(rate);
                for (int k = 0; k < vValue.Length; k++)
                {
                    Vector<T> g = vGradient[k];
                    Vector<T> s = vSum[k] + g * g;
                    vSum[k] = s;
                    vValue[k] -= vRate * (g / (Vector.SquareRoot(s) + vEps));
                }

                i = vValue.Length * Vector<T>.Count;
            }

            for (; i < value.Length; i++)
            {
                // G = G + g²;  θ = θ - η g / (√G + ε)
                T g = gradient[i];
                T s = sum[i] + g * g;
                sum[i] = s;
                value[i] -= rate * (g / (T.Sqrt(s) + eps));
            }
        }
    }
}
