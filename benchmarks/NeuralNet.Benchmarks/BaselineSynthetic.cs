#if HAS_BASELINE
extern alias Baseline;

using System.Numerics;
using B = Baseline::NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>The reference network of <see cref="Synthetic.ReferenceNetwork"/> built with the baseline library.</summary>
public static class BaselineSynthetic
{
    /// <summary>784-256-128-10, ReLU, ReLU, softmax, seed 1: the same weights as the current library's.</summary>
    public static B.Network<T> ReferenceNetwork<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new B.NetworkBuilder<T>(784).WithSeed(1)
            .AddDense(256, B.Activations.Activation.ReLU)
            .AddDense(128, B.Activations.Activation.ReLU)
            .AddDense(10, B.Activations.Activation.Softmax)
            .Build();
}
#endif
