using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>
/// Gradient descent with (heavy-ball) momentum, in the form of Sutskever et al. (2013):
/// <c>v ← μ v - η g</c>, <c>θ ← θ + v</c>. With <c>nesterov</c> the look-ahead form used by Keras:
/// <c>v ← μ v - η g</c>, <c>θ ← θ + μ v - η g</c>.
/// With <see cref="MomentumForm.PyTorch"/> the learning rate stays outside the velocity, as <c>torch.optim.SGD</c>
/// (dampening 0): <c>b ← μ b + g</c>, <c>θ ← θ - η b</c>, Nesterov <c>θ ← θ - η (g + μ b)</c>. The two forms agree while
/// <c>η</c> is constant; when a schedule changes <c>η</c>, the PyTorch form applies the new rate to the whole velocity at
/// once, the Sutskever form only to new gradients.
/// </summary>
public sealed class Momentum : Optimizer
{
    /// <summary>Creates momentum SGD.</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="momentum">Decay <c>μ</c> of the velocity, in [0, 1).</param>
    /// <param name="nesterov">Use Nesterov's accelerated gradient.</param>
    /// <param name="form">Where the learning rate sits: inside the velocity (<see cref="MomentumForm.Sutskever"/>,
    /// default) or outside (<see cref="MomentumForm.PyTorch"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public Momentum(double learningRate = 0.01, double momentum = 0.9, bool nesterov = false, MomentumForm form = MomentumForm.Sutskever)
        : base(learningRate)
    {
        if (form is not (MomentumForm.Sutskever or MomentumForm.PyTorch))
        {
            throw new ArgumentOutOfRangeException(nameof(form), form, $"form must be Sutskever or PyTorch. Received: form={form}");
        }

        Form = form;
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

    /// <summary>Where the learning rate sits in the update.</summary>
    public MomentumForm Form { get; }

    /// <inheritdoc />
    public override string Name => Nesterov ? "nesterov" : "momentum";

    /// <inheritdoc />
    protected override int SlotsPerParameter => 1;

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        if (Form == MomentumForm.PyTorch)
        {
            StepPyTorch(parameters);
            return;
        }

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

    /// <summary>torch.optim.SGD with momentum μ and dampening 0: b = μ b + g; θ -= η b, or θ -= η (g + μ b) for Nesterov.
    /// (PyTorch sets b = g at the first step; with b starting at 0 that is the same.)</summary>
    private void StepPyTorch<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = T.CreateTruncating(LearningRate), mu = T.CreateTruncating(MomentumCoefficient);
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient, buffer = Slot<T>(0, p);
            for (int i = 0; i < value.Length; i++)
            {
                T g = gradient[i];
                T b = mu * buffer[i] + g;
                buffer[i] = b;
                value[i] -= rate * (Nesterov ? g + mu * b : b);
            }
        }
    }

    /// <summary>The form, so a checkpoint of one form is not resumed with the other.</summary>
    protected override IReadOnlyList<double> ExportScalars() => Form == MomentumForm.PyTorch ? [1.0] : [];

    /// <inheritdoc />
    protected override void ImportScalars(IReadOnlyList<double> scalars)
    {
        MomentumForm saved = scalars.Count > 0 && scalars[0] == 1.0 ? MomentumForm.PyTorch : MomentumForm.Sutskever;
        if (saved != Form)
        {
            throw new ArgumentException($"The state was exported by momentum in the {saved} form; this optimiser uses the {Form} form, whose velocity means something else.", "state");
        }
    }
}
