using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>Plain stochastic gradient descent: <c>θ ← θ - η g</c>.</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>The flat update for the element type in use (<see cref="SgdStepWork{T}"/>), made at the first step.</summary>
    private object? _work;

    /// <summary>Creates SGD.</summary>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    public Sgd(double learningRate = 0.01)
        : base(learningRate)
    {
    }

    /// <inheritdoc />
    public override string Name => "sgd";

    /// <inheritdoc />
    protected override int SlotsPerParameter => 0;

    /// <inheritdoc />
    protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
    {
        SgdStepWork<T> work = Work<T>();
        work.Set(-T.CreateTruncating(LearningRate));
        work.Step(parameters);
    }

    /// <inheritdoc />
    private protected override FlatStepWork<T>? FlatWork<T>() => Work<T>();

    /// <summary>With finite g: <c>|θ'| ≤ (|θ| + η |g|)(1 + u)²</c>, returned with a margin of 10⁻⁶.</summary>
    private protected override double StepBound<T>(double maxValue, double maxGradient, double maxState) =>
        (maxValue + Math.Abs(double.CreateTruncating(T.CreateTruncating(LearningRate))) * maxGradient) * (1 + 1e-6);

    private SgdStepWork<T> Work<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        _work as SgdStepWork<T> ?? (SgdStepWork<T>)(_work = new SgdStepWork<T>());
}
