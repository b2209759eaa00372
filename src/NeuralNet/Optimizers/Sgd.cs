using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Layers;

namespace NeuralNet.Optimizers;

/// <summary>Plain stochastic gradient descent: <c>θ ← θ - η g</c>.</summary>
public sealed class Sgd : Optimizer
{
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
        T minusRate = -T.CreateTruncating(LearningRate);
        for (int i = 0; i < parameters.Count; i++)
        {
            Span<T> value = parameters[i].Value;

            // θ += (-η) g
            TensorPrimitives.MultiplyAdd(parameters[i].Gradient, minusRate, value, value);
        }
    }
}
