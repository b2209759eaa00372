using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015) and, with a weight decay, AdamW (Loshchilov and Hutter, 2019). At step <c>t</c>:
/// <c>m ← β1 m + (1 - β1) g</c>, <c>v ← β2 v + (1 - β2) g²</c>, <c>m̂ = m / (1 - β1^t)</c>, <c>v̂ = v / (1 - β2^t)</c>,
/// <c>θ ← θ - η m̂ / (√v̂ + ε)</c>. AdamW first shrinks the regularised tensors
/// (<see cref="Parameter{T}.IsRegularized"/>, the weights but not the biases): <c>θ ← θ (1 - η λ)</c>, the decay
/// decoupled from the gradient.
/// </summary>
public sealed class Adam : Optimizer
{
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
        double t = StepCount;
        T eps = T.CreateTruncating(Epsilon);
        T b1 = T.CreateTruncating(Beta1), b2 = T.CreateTruncating(Beta2);
        T oneMinusB1 = T.CreateTruncating(1 - Beta1), oneMinusB2 = T.CreateTruncating(1 - Beta2);
        T correction1 = T.CreateTruncating(1 - Math.Pow(Beta1, t)), correction2 = T.CreateTruncating(1 - Math.Pow(Beta2, t));
        T decay = T.CreateTruncating(1 - LearningRate * WeightDecay);
        T stepScale = -T.CreateTruncating(LearningRate) / correction1, inverseCorrection2 = T.One / correction2;
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient;
            Span<T> m = Slot<T>(0, p), v = Slot<T>(1, p);
            T scale = WeightDecay > 0 && parameters[p].IsRegularized ? decay : T.One;

            // One pass over the four arrays, Vector<T> lanes then a scalar tail with the same operations in the same order,
            // so every element gets bit-identical arithmetic whichever path it takes.
            int i = 0;
            if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
            {
                Span<Vector<T>> vValue = MemoryMarshal.Cast<T, Vector<T>>(value), vM = MemoryMarshal.Cast<T, Vector<T>>(m), vV = MemoryMarshal.Cast<T, Vector<T>>(v);
                ReadOnlySpan<Vector<T>> vGradient = MemoryMarshal.Cast<T, Vector<T>>(gradient);
                Vector<T> vb1 = new(b1), vb2 = new(b2), v1b1 = new(oneMinusB1), v1b2 = new(oneMinusB2);
                Vector<T> vEps = new(eps), vStep = new(stepScale), vInv2 = new(inverseCorrection2), vScale = new(scale);
                for (int k = 0; k < vValue.Length; k++)
                {
                    Vector<T> g = vGradient[k];
                    Vector<T> mk = vb1 * vM[k] + v1b1 * g;
                    Vector<T> vk = vb2 * vV[k] + v1b2 * (g * g);
                    vM[k] = mk;
                    vV[k] = vk;
                    vValue[k] = vValue[k] * vScale + vStep * (mk / (Vector.SquareRoot(vk * vInv2) + vEps));
                }

                i = vValue.Length * Vector<T>.Count;
            }

            for (; i < value.Length; i++)
            {
                // m = β1 m + (1 - β1) g;  v = β2 v + (1 - β2) g²;  θ = θ (1 - ηλ) - η/(1 - β1^t) · m / (√(v/(1 - β2^t)) + ε)
                T g = gradient[i];
                T mi = b1 * m[i] + oneMinusB1 * g;
                T vi = b2 * v[i] + oneMinusB2 * (g * g);
                m[i] = mi;
                v[i] = vi;
                value[i] = value[i] * scale + stepScale * (mi / (T.Sqrt(vi * inverseCorrection2) + eps));
            }
        }
    }
}
