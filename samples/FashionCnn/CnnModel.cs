using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Samples;

/// <summary>The sample's network: conv 32 3x3 same - max pool 2 - conv 64 3x3 same - max pool 2 - dense 128 - dropout - softmax.</summary>
internal static class CnnModel
{
    public static Network<float> Build(long seed, double dropout)
    {
        var input = new FeatureShape(1, 28, 28);
        var conv1 = new Conv2DLayer<float>(input, 32, 3, padding: Padding2D.Same, activation: Activation.ReLU);
        var pool1 = new MaxPool2DLayer<float>(conv1.OutputShape, 2);
        var conv2 = new Conv2DLayer<float>(pool1.OutputShape, 64, 3, padding: Padding2D.Same, activation: Activation.ReLU);
        var pool2 = new MaxPool2DLayer<float>(conv2.OutputShape, 2);
        var flatten = new FlattenLayer<float>(pool2.OutputShape);
        Layer<float>[] layers =
        [
            conv1, pool1, conv2, pool2, flatten,
            new DenseLayer<float>(flatten.OutputSize, 128, Activation.ReLU),
            new DropoutLayer<float>(128, dropout),
            new DenseLayer<float>(128, 10, Activation.Softmax),
        ];
        var random = new RandomSource(seed);
        foreach (Layer<float> layer in layers)
        {
            layer.Initialize(random);
        }

        return new Network<float>(input.Size, layers);
    }
}
