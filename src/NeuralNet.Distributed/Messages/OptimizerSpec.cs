using System.Globalization;
using NeuralNet.Optimizers;

namespace NeuralNet.Distributed.Messages;

/// <summary>A serialisable description of one of the core's mini-batch optimisers, from which each shard builds its
/// own instance (the core optimisers are element-wise, so stepping a key range equals stepping the whole vector).</summary>
[GenerateSerializer, Immutable]
public sealed record OptimizerSpec
{
    /// <summary>The optimiser's <see cref="IOptimizer.Name"/>: <c>sgd</c>, <c>momentum</c>, <c>nesterov</c>,
    /// <c>adam</c>, <c>adamw</c>, <c>rmsprop</c> or <c>adagrad</c>.</summary>
    [Id(0)] public string Kind { get; init; } = "sgd";

    /// <summary>The initial learning rate (the driver sends the scheduled rate with every step).</summary>
    [Id(1)] public double LearningRate { get; init; } = 0.01;

    /// <summary>Adam's β₁, or the momentum coefficient.</summary>
    [Id(2)] public double Beta1 { get; init; }

    /// <summary>Adam's β₂, or RMSProp's ρ.</summary>
    [Id(3)] public double Beta2 { get; init; }

    /// <summary>The ε of Adam, RMSProp and AdaGrad.</summary>
    [Id(4)] public double Epsilon { get; init; }

    /// <summary>Adam's decoupled weight decay, or AdaGrad's initial accumulator.</summary>
    [Id(5)] public double Extra { get; init; }

    /// <summary>Describes <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">A built-in mini-batch optimiser.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="NotSupportedException">It needs the whole training set per step
    /// (<see cref="IOptimizer.RequiresFullBatch"/>: L-BFGS, iRPROP-), or it is not one of the core's optimisers.</exception>
    public static OptimizerSpec From(IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.RequiresFullBatch)
        {
            throw new NotSupportedException(
                $"The optimiser '{optimizer.Name}' needs the whole training set for each step (RequiresFullBatch), but the parameter server applies one step per mini-batch. Use a mini-batch optimiser: Adam, Sgd, Momentum, RmsProp or AdaGrad.");
        }

        return optimizer switch
        {
            Sgd s => new OptimizerSpec { Kind = s.Name, LearningRate = s.LearningRate },
            Momentum m => new OptimizerSpec { Kind = m.Name, LearningRate = m.LearningRate, Beta1 = m.MomentumCoefficient },
            Adam a => new OptimizerSpec { Kind = a.Name, LearningRate = a.LearningRate, Beta1 = a.Beta1, Beta2 = a.Beta2, Epsilon = a.Epsilon, Extra = a.WeightDecay },
            RmsProp r => new OptimizerSpec { Kind = r.Name, LearningRate = r.LearningRate, Beta2 = r.Rho, Epsilon = r.Epsilon },
            AdaGrad g => new OptimizerSpec { Kind = g.Name, LearningRate = g.LearningRate, Epsilon = g.Epsilon, Extra = g.InitialAccumulator },
            _ => throw new NotSupportedException(
                $"The optimiser '{optimizer.Name}' ({optimizer.GetType().FullName}) is not one the parameter server can rebuild; use one of the core's mini-batch optimisers (Adam, Sgd, Momentum, RmsProp, AdaGrad)."),
        };
    }

    /// <summary>Builds a fresh optimiser from this description.</summary>
    /// <exception cref="NotSupportedException"><see cref="Kind"/> is unknown.</exception>
    public IOptimizer Create() => Kind switch
    {
        "sgd" => new Sgd(LearningRate),
        "momentum" => new Momentum(LearningRate, Beta1, nesterov: false),
        "nesterov" => new Momentum(LearningRate, Beta1, nesterov: true),
        "adam" or "adamw" => new Adam(LearningRate, Beta1, Beta2, Epsilon, Extra),
        "rmsprop" => new RmsProp(LearningRate, Beta2, Epsilon),
        "adagrad" => new AdaGrad(LearningRate, Epsilon, Extra),
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Unknown optimiser kind '{Kind}'.")),
    };
}
