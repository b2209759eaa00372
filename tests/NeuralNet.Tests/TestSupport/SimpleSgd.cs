using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Losses;

namespace NeuralNet.Tests.TestSupport;

/// <summary>Plain mini-batch SGD over <see cref="Network{T}.ComputeGradients(ReadOnlySpan{T}, ReadOnlySpan{T}, int, ILoss)"/>, for tests that need a trained network.</summary>
public static class SimpleSgd
{
    public static void Train<T>(Network<T> network, Dataset<T> data, ILoss loss, int epochs, int batchSize, double learningRate, long seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new RandomSource(seed);
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        var x = new T[batchSize * data.FeatureCount];
        var y = new T[batchSize * data.TargetCount];
        T step = T.CreateChecked(learningRate);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            for (int start = 0; start < data.Count; start += batchSize)
            {
                int b = Math.Min(batchSize, data.Count - start);
                data.CopyBatch(order.AsSpan(start, b), x, y);
                network.ComputeGradients(x.AsSpan(0, b * data.FeatureCount), y.AsSpan(0, b * data.TargetCount), b, loss);
                foreach (var p in network.Parameters)
                {
                    Span<T> w = p.Value;
                    ReadOnlySpan<T> g = p.Gradient;
                    for (int i = 0; i < w.Length; i++)
                    {
                        w[i] -= step * g[i];
                    }
                }
            }
        }
    }

    /// <summary>Fraction of rows whose arg-max output equals the class index in the single target column.</summary>
    public static double Accuracy<T>(Network<T> network, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = network.Predict(data.Features);
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            int best = 0;
            for (int j = 1; j < output.ColumnCount; j++)
            {
                if (output[i, j] > output[i, best])
                {
                    best = j;
                }
            }

            if (best == int.CreateChecked(data.Targets[i, 0]))
            {
                correct++;
            }
        }

        return (double)correct / data.Count;
    }
}
