using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Training;

/// <summary>A noise-free linear least-squares problem y = X w* + b*: a linear network with MSE is convex in (W, b) and its
/// unique minimum is exactly (w*, b*), with loss 0.</summary>
internal static class LeastSquares
{
    public static readonly double[] TrueWeights = [1.5, -2.0, 0.5];
    public const double TrueBias = 0.3;

    public static (Matrix<double> X, Matrix<double> Y) Data(int rows = 64, long seed = 3)
    {
        var random = new RandomSource(seed);
        Matrix<double> x = Matrix<double>.Build.Dense(rows, 3, (_, _) => random.NextGaussian());
        Matrix<double> y = Matrix<double>.Build.Dense(rows, 1, (i, _) => x[i, 0] * TrueWeights[0] + x[i, 1] * TrueWeights[1] + x[i, 2] * TrueWeights[2] + TrueBias);
        return (x, y);
    }

    public static Network<double> LinearNetwork(long seed = 1) => new NetworkBuilder<double>(3).WithSeed(seed).AddDense(1).Build();

    /// <summary>Largest |θ - θ*| over the three weights and the bias.</summary>
    public static double Error(Network<double> network)
    {
        var dense = (DenseLayer<double>)network.Layers[0];
        double error = Math.Abs(dense.Bias[0] - TrueBias);
        for (int i = 0; i < 3; i++)
        {
            error = Math.Max(error, Math.Abs(dense.Weights[i, 0] - TrueWeights[i]));
        }

        return error;
    }

    public static double[] Weights(Network<double> network)
    {
        var all = new List<double>();
        foreach (Parameter<double> p in network.Parameters)
        {
            all.AddRange(p.Value.ToArray());
        }

        return all.ToArray();
    }
}
