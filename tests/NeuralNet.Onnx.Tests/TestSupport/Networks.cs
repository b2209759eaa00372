using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Onnx.Activations;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>Small seeded networks with every parameter (biases and batch-norm statistics included) set to random
/// values, so an export that dropped or transposed one would show.</summary>
public static class Networks
{
    /// <summary>Every activation with an ONNX form: the core's built-ins and the two this package adds.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } =
    [
        "identity", "step", "sigmoid", "tanh", "relu", "leaky_relu(alpha=0.2)", "elu(alpha=0.7)", "selu", "gelu", "silu",
        "softplus", "softmax", "gelu_exact", "log_softmax",
    ];

    public static IActivation Activation(string name)
    {
        LogSoftmax.Register();
        return NeuralNet.Activations.Activation.FromName(name);
    }

    /// <summary>5 → dense(8, f) → dense(4, f).</summary>
    public static Network<T> WithActivation<T>(string activation, int seed = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        IActivation f = Activation(activation);
        return Randomize(new NetworkBuilder<T>(5).WithSeed(seed).AddDense(8, f).AddDense(4, f).Build(), seed);
    }

    /// <summary>6 → dense(8, relu) → batch norm → dropout → dense(7, tanh) → batch norm → dense(3, softmax).</summary>
    public static Network<T> WithBatchNorm<T>(int seed = 2) where T : unmanaged, IFloatingPointIeee754<T> =>
        Randomize(new NetworkBuilder<T>(6).WithSeed(seed)
            .AddDense(8, NeuralNet.Activations.Activation.ReLU).AddBatchNorm(momentum: 0.9, epsilon: 1e-3).AddDropout(0.3)
            .AddDense(7, NeuralNet.Activations.Activation.Tanh).AddBatchNorm(epsilon: 1e-5)
            .AddDense(3, NeuralNet.Activations.Activation.Softmax).Build(), seed);

    /// <summary>Sets every parameter and buffer to seeded values: weights and biases in [-1, 1), variances in [0.5, 2).</summary>
    public static Network<T> Randomize<T>(Network<T> network, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        foreach (Layer<T> layer in network.Layers)
        {
            foreach (Parameter<T> p in layer.Parameters.Concat(layer.Buffers))
            {
                bool variance = p.Name == "running_variance";
                Span<T> values = p.Value;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = T.CreateTruncating(variance ? 0.5 + 1.5 * random.NextDouble() : 2 * random.NextDouble() - 1);
                }
            }
        }

        return network;
    }

    /// <summary>Seeded inputs in [-3, 3) (never exactly 0, where step and ReLU switch).</summary>
    public static Matrix<T> Inputs<T>(int rows, int columns, int seed = 7, double scale = 3) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateTruncating(scale * (2 * random.NextDouble() - 1)));
    }

    /// <summary>A standard scaler fitted on features of very different means and spreads.</summary>
    public static Scaler FittedScaler<T>(int columns, Scaler scaler) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(11);
        var data = Matrix<T>.Build.Dense(50, columns, (_, c) => T.CreateTruncating(10 * c + (c + 1) * 3 * random.NextDouble()));
        return scaler.Fit(data);
    }
}
