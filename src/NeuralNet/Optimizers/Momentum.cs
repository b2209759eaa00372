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
/// A velocity below the smallest normal number is stored as a zero of its sign (<see cref="FlushToZero"/>), in both forms.
/// </summary>
public sealed class Momentum : Optimizer
{
    /// <summary>The flat update for the element type in use (<see cref="MomentumStepWork{T}"/>), made at the first step.</summary>
    private object? _work;

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
        MomentumStepWork<T> work = Work<T>();
        work.Set(SlotArrays, mu, rate, Nesterov ? mu : T.One, Nesterov ? rate : T.Zero);
        work.Step(parameters);
        MaxState = work.MaxState;
    }

    /// <inheritdoc />
    private protected override FlatStepWork<T>? FlatWork<T>() => Form == MomentumForm.Sutskever ? Work<T>() : null;

    /// <summary>With finite g and velocity (<c>|v| ≤ V</c>): <c>|v'| ≤ (μ V + η |g|)(1 + u)²</c> and
    /// <c>|θ'| ≤ (|θ| + l |v'| + d |g|)(1 + u)³</c>, returned with a margin of 10⁻⁶; the velocity bound is the state bound
    /// the previous flat step reduced.</summary>
    private protected override double StepBound<T>(double maxValue, double maxGradient, double maxState)
    {
        double rate = Math.Abs(double.CreateTruncating(T.CreateTruncating(LearningRate))), mu = double.CreateTruncating(T.CreateTruncating(MomentumCoefficient));
        double velocity = (mu * maxState + rate * maxGradient) * (1 + 1e-6);
        return (maxValue + (Nesterov ? mu : 1) * velocity + (Nesterov ? rate : 0) * maxGradient) * (1 + 1e-6);
    }

    private MomentumStepWork<T> Work<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        _work as MomentumStepWork<T> ?? (MomentumStepWork<T>)(_work = new MomentumStepWork<T>());

    /// <summary>torch.optim.SGD with momentum μ and dampening 0: b = μ b + g; θ -= η b, or θ -= η (g + μ b) for Nesterov.
    /// (PyTorch sets b = g at the first step; with b starting at 0 that is the same.)</summary>
    private void StepPyTorch<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = T.CreateTruncating(LearningRate), mu = T.CreateTruncating(MomentumCoefficient), minNormal = FlushToZero.MinNormal<T>();
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient, buffer = Slot<T>(0, p);
            for (int i = 0; i < value.Length; i++)
            {
                T g = gradient[i];
                T b = FlushToZero.Apply(mu * buffer[i] + g, minNormal);
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
