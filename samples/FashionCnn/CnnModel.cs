using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Samples;

/// <summary>The sample's network: conv 32 3x3 same - max pool 2 - conv 64 3x3 same - max pool 2 - dense 128 - dropout - softmax.</summary>
internal static class CnnModel
{
    public static Network<float> Build(long seed, double dropout) =>
        new NetworkBuilder<float>(new FeatureShape(1, 28, 28)).WithSeed(seed)
            .AddConv2D(32, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(2)
            .AddConv2D(64, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(2)
            .AddFlatten()
            .AddDense(128, Activation.ReLU)
            .AddDropout(dropout)
            .AddDense(10, Activation.Softmax)
            .Build();
}
