using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Layers;

public sealed class ConvNetworkTests
{
    private const int Batch = 32;

    /// <summary>
    /// 3x16x16 → conv 16 3x3 same + ReLU → max pool 2 → conv 16 3x3 stride 2 + ReLU → avg pool 2 stride 1 → conv 8 1x1
    /// → global average pool → dense 10 + softmax; large enough that the lowering, the pooling and the products are
    /// split across threads (at batch 32 the first lowering moves 32·256·27 ≈ 221,000 values).
    /// </summary>
    private static Network<float> Build(long seed)
    {
        var conv1 = new Conv2DLayer<float>(new FeatureShape(3, 16, 16), 16, 3, padding: Padding2D.Same, activation: Activation.ReLU);
        var pool1 = new MaxPool2DLayer<float>(conv1.OutputShape, 2);
        var conv2 = new Conv2DLayer<float>(pool1.OutputShape, 16, 3, 2, Padding2D.Same, activation: Activation.ReLU);
        var pool2 = new AvgPool2DLayer<float>(conv2.OutputShape, 2, stride: 1);
        var conv3 = new Conv2DLayer<float>(pool2.OutputShape, 8, 1);
        var global = new GlobalAveragePoolLayer<float>(conv3.OutputShape);
        Layer<float>[] layers = [conv1, pool1, conv2, pool2, conv3, global, new DenseLayer<float>(global.OutputSize, 10, Activation.Softmax)];
        var random = new RandomSource(seed);
        foreach (Layer<float> layer in layers)
        {
            layer.Initialize(random);
        }

        return new Network<float>(conv1.InputShape, layers);
    }

    private static (float[] X, float[] Y) Data(int inputs)
    {
        var random = new RandomSource(9);
        var x = new float[Batch * inputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextGaussian();
        }

        var y = new float[Batch];
        for (int r = 0; r < Batch; r++)
        {
            y[r] = r % 10;
        }

        return (x, y);
    }

    [Fact]
    public void GradientCheck_SmallCnnThroughEveryLayerKind_PassesInDouble()
    {
        // The library's own checker on a whole network: each convolution's weights are reached through the input
        // gradients of every layer after it (pooling, global pooling, flatten), so this checks those as well.
        Network<double> network = new NetworkBuilder<double>(new FeatureShape(2, 9, 8)).WithSeed(3)
            .AddConv2D(3, 3, padding: Padding2D.Same, activation: Activation.Tanh)
            .AddMaxPool2D(2, stride: 1)
            .AddConv2D(4, (2, 3), stride: 2, padding: Padding2D.Explicit(1, 1), dilation: (1, 2), activation: Activation.Softplus)
            .AddAvgPool2D(2, stride: 1, padding: Padding2D.Same)
            .AddConv2D(2, 1)
            .AddFlatten()
            .AddDense(3, Activation.Softmax)
            .Build();
        Matrix<double> x = TestData.Gaussian(4, network.InputSize, 5);
        Matrix<double> y = TestData.Labels(4, 3, 6);

        GradientCheckResult result = GradientCheck.Run(network, x, y, Loss.SparseCategoricalCrossEntropy);

        result.Layers.Should().HaveCount(4);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void ComputeGradients_AfterWarmUp_AllocatesNothing()
    {
        Network<float> network = Build(4);
        (float[] x, float[] y) = Data(network.InputSize);
        ILoss loss = Loss.SparseCategoricalCrossEntropy;
        network.ComputeGradients(x, y, Batch, loss);
        network.ComputeGradients(x, y, Batch, loss);

        Allocations.LeastPerRound(() => network.ComputeGradients(x, y, Batch, loss)).Should().Be(0);
    }

    [Fact]
    public void Predict_OneSample_AfterWarmUp_AllocatesNothing()
    {
        Network<float> network = Build(5);
        (float[] x, _) = Data(network.InputSize);
        float[] sample = x.AsSpan(0, network.InputSize).ToArray(), output = new float[10];
        network.Predict(sample, output);

        Allocations.LeastPerRound(() => network.Predict(sample, output)).Should().Be(0);
        output.Sum().Should().BeApproximately(1f, 1e-5f);
    }

    [Fact]
    public void ComputeGradients_OneAndTwoThreads_SameBits()
    {
        (float[] Loss, float[][] Gradients, float[] Output) Run(int threads)
        {
            int previous = Gemm.MaxDegreeOfParallelism;
            try
            {
                Gemm.MaxDegreeOfParallelism = threads;
                Network<float> network = Build(6);
                (float[] x, float[] y) = Data(network.InputSize);
                float loss = network.ComputeGradients(x, y, Batch, Loss.SparseCategoricalCrossEntropy);
                float[] output = network.Predict(MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(Batch, network.InputSize, x)).ToColumnMajorArray();
                return ([loss], network.Parameters.Select(p => p.Gradient.ToArray()).ToArray(), output);
            }
            finally
            {
                Gemm.MaxDegreeOfParallelism = previous;
            }
        }

        var one = Run(1);
        var two = Run(2);

        two.Loss.Should().Equal(one.Loss);
        two.Output.Should().Equal(one.Output);
        two.Gradients.Should().HaveSameCount(one.Gradients);
        for (int i = 0; i < one.Gradients.Length; i++)
        {
            two.Gradients[i].Should().Equal(one.Gradients[i], $"parameter {i}");
        }

        one.Gradients.SelectMany(g => g).Should().Contain(v => v != 0f);
    }
}
