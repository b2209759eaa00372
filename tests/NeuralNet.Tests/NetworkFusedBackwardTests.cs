using FluentAssertions;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests;

/// <summary>
/// A dense layer fed by a dense ReLU layer folds that layer's ReLU derivative into its input-gradient product
/// (<c>DenseLayer.BackwardIntoRelu</c>). A dropout layer of rate 0 between the two (an exact copy forward, a multiply by 1
/// backward) turns the folding off, so the same weights must give the same loss and the same gradients, bit for bit,
/// through either path: with a fused softmax cross-entropy and with a plain loss, in float and double, with batches
/// large enough for the products to be split over threads.
/// </summary>
public sealed class NetworkFusedBackwardTests
{
    [Theory]
    [InlineData(true, 70)]
    [InlineData(false, 70)]
    [InlineData(true, 1)]
    [InlineData(false, 33)]
    public void FoldedReluDerivative_MatchesSeparatePasses_Float(bool fusedLoss, int batch) => Check<float>(fusedLoss, batch);

    [Theory]
    [InlineData(true, 70)]
    [InlineData(false, 33)]
    public void FoldedReluDerivative_MatchesSeparatePasses_Double(bool fusedLoss, int batch) => Check<double>(fusedLoss, batch);

    private static void Check<T>(bool fusedLoss, int batch) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        IActivation last = fusedLoss ? Activation.Softmax : Activation.Tanh;
        ILoss loss = fusedLoss ? Loss.CategoricalCrossEntropy : Loss.MeanSquaredError;
        Network<T> folded = new NetworkBuilder<T>(100).WithSeed(3)
            .AddDense(96, Activation.ReLU).AddDense(80, Activation.ReLU).AddDense(10, last).Build();
        Network<T> separate = new NetworkBuilder<T>(100).WithSeed(4)
            .AddDense(96, Activation.ReLU).AddDropout(0).AddDense(80, Activation.ReLU).AddDropout(0).AddDense(10, last).Build();
        IReadOnlyList<Parameter<T>> from = folded.ParameterSet.Parameters, to = separate.ParameterSet.Parameters;
        to.Should().HaveCount(from.Count);
        for (int p = 0; p < from.Count; p++)
        {
            from[p].Value.CopyTo(to[p].Value);
        }

        var random = new Random(batch);
        var x = new T[batch * 100];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateTruncating(random.NextDouble() * 2 - 1);
        }

        var y = new T[batch * 10];
        for (int b = 0; b < batch; b++)
        {
            y[random.Next(10) * batch + b] = T.One;
        }

        T foldedLoss = folded.ComputeGradients(x, y, batch, loss);
        T separateLoss = separate.ComputeGradients(x, y, batch, loss);
        separateLoss.Should().Be(foldedLoss);
        for (int p = 0; p < from.Count; p++)
        {
            to[p].Gradient.ToArray().Should().Equal(from[p].Gradient.ToArray(), $"gradient of parameter {p} ({from[p].Name})");
        }

        T zero = T.Zero;
        from[0].Gradient.ToArray().Should().Contain(v => !v.Equals(zero), "the first layer's weights got a gradient through both ReLU layers");
    }
}
