using NeuralNet.Activations;
using NeuralNet.Layers;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace NeuralNet.Comparison;

/// <summary>The two networks compared, written once for each library with the same shapes.</summary>
public static class Models
{
    /// <summary>Dropout of the CNN, as in the FashionCnn sample.</summary>
    public const double CnnDropout = 0.3;

    /// <summary>The reference MLP: 784-256-128-10, ReLU, ReLU, softmax (fused with cross-entropy in training).</summary>
    public static Network<float> NeuralNetMlp(long seed) =>
        new NetworkBuilder<float>(784).WithSeed(seed)
            .AddDense(256, Activation.ReLU)
            .AddDense(128, Activation.ReLU)
            .AddDense(10, Activation.Softmax)
            .Build();

    /// <summary>The same MLP in torch; it returns logits (cross_entropy applies log-softmax itself).</summary>
    public static Module<torch.Tensor, torch.Tensor> TorchMlp(long seed)
    {
        torch.manual_seed(seed);
        return Sequential(Linear(784, 256), ReLU(), Linear(256, 128), ReLU(), Linear(128, 10));
    }

    /// <summary>The FashionCnn sample's network (samples/FashionCnn/CnnModel.cs): conv 32 3x3 same - max pool 2 -
    /// conv 64 3x3 same - max pool 2 - dense 128 - dropout - softmax, input 1x28x28.</summary>
    public static Network<float> NeuralNetCnn(long seed) =>
        new NetworkBuilder<float>(new FeatureShape(1, 28, 28)).WithSeed(seed)
            .AddConv2D(32, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(2)
            .AddConv2D(64, 3, padding: Padding2D.Same, activation: Activation.ReLU)
            .AddMaxPool2D(2)
            .AddFlatten()
            .AddDense(128, Activation.ReLU)
            .AddDropout(CnnDropout)
            .AddDense(10, Activation.Softmax)
            .Build();

    /// <summary>The same CNN in torch, on <c>[n, 1, 28, 28]</c>, returning logits.</summary>
    public static Module<torch.Tensor, torch.Tensor> TorchCnn(long seed)
    {
        torch.manual_seed(seed);
        return Sequential(
            Conv2d(1, 32, 3, padding: 1), ReLU(), MaxPool2d(2),
            Conv2d(32, 64, 3, padding: 1), ReLU(), MaxPool2d(2),
            Flatten(),
            Linear(64 * 7 * 7, 128), ReLU(), Dropout(CnnDropout),
            Linear(128, 10));
    }

    /// <summary>
    /// Copies NeuralNet's parameters into the torch twin, tensor for tensor in layer order (weight, then bias). The
    /// layouts already agree: a dense <c>W</c> is <c>[in x out]</c> column-major, which is torch's row-major
    /// <c>[out, in]</c> <c>Linear.weight</c>; a convolution's column-major <c>[C·KH·KW x F]</c> is <c>Conv2d.weight</c>'s
    /// row-major <c>[F, C, KH, KW]</c>; flattening is channel-major in both.
    /// </summary>
    /// <exception cref="InvalidOperationException">The two networks do not have the same parameter tensors.</exception>
    public static void CopyWeights(Network<float> network, Module<torch.Tensor, torch.Tensor> model)
    {
        var parameters = model.parameters().ToArray();
        if (parameters.Length != network.Parameters.Count)
        {
            throw new InvalidOperationException($"torch has {parameters.Length} parameter tensors, NeuralNet {network.Parameters.Count}");
        }

        using var noGrad = torch.no_grad();
        for (int i = 0; i < parameters.Length; i++)
        {
            float[] values = network.Parameters[i].Value.ToArray();
            if (values.Length != parameters[i].numel())
            {
                throw new InvalidOperationException($"parameter {i} ({network.Parameters[i].Name}): NeuralNet has {values.Length} values, torch {parameters[i].numel()}");
            }

            using torch.Tensor source = torch.tensor(values, parameters[i].shape, torch.float32);
            parameters[i].copy_(source);
        }
    }
}
