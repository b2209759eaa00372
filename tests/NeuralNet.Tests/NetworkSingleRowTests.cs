using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests;

/// <summary>The single-row path of <see cref="Network{T}.Predict(ReadOnlySpan{T}, Span{T})"/>: dense layers through the
/// row kernel, other layers through their batch inference with one row.</summary>
public sealed class NetworkSingleRowTests
{
    private static Network<T> Mixed<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new NetworkBuilder<T>(37).WithSeed(6)
            .AddDense(70, Activation.ReLU)
            .AddBatchNorm()
            .AddDropout(0.3)
            .AddDense(33, Activation.Tanh)
            .AddDense(20)
            .AddDense(5, Activation.Softmax)
            .Build();

    private static Matrix<T> Rows<T>(int rows, int columns, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<double> x = TestData.Gaussian(rows, columns, seed);
        return Matrix<T>.Build.Dense(rows, columns, (r, c) => T.CreateChecked(x[r, c]));
    }

    [Fact]
    public void PredictSpan_Float_IsBitIdenticalToAOneRowMatrix() => SpanEqualsOneRowMatrix<float>();

    [Fact]
    public void PredictSpan_Double_IsBitIdenticalToAOneRowMatrix() => SpanEqualsOneRowMatrix<double>();

    private static void SpanEqualsOneRowMatrix<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> net = Mixed<T>();
        Matrix<T> x = Rows<T>(6, 37, 2);
        T[] output = new T[5];
        for (int r = 0; r < x.RowCount; r++)
        {
            Matrix<T> row = x.SubMatrix(r, 1, 0, 37);
            net.Predict(x.Row(r).ToArray(), output);
            net.Predict(row).Row(0).ToArray().Should().Equal(output, "row {0}", r);
        }
    }

    [Fact]
    public void PredictSpan_ReferenceNetwork_MatchesTheRowOfABatchWithinRounding()
    {
        // The batch product sums each output in one FMA chain per depth block, the row kernel in four vector chains:
        // the logits of a 784-256-128-10 network differ by a few float ulps, not more.
        Network<float> net = new NetworkBuilder<float>(784).WithSeed(2)
            .AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(10).Build();
        Matrix<float> x = Rows<float>(24, 784, 5);
        Matrix<float> batch = net.Predict(x);
        float[] output = new float[10];
        for (int r = 0; r < x.RowCount; r++)
        {
            net.Predict(x.Row(r).ToArray(), output);
            float scale = batch.Row(r).AbsoluteMaximum();
            batch.Row(r).ToArray().Should().Equal(output, (a, b) => Math.Abs(a - b) <= 1e-5f * scale, "row {0}", r);
        }
    }

    [Fact]
    public void PredictSpan_MixedLayersInDouble_MatchesTheRowOfABatchWithinRounding()
    {
        Network<double> net = Mixed<double>();
        Matrix<double> x = Rows<double>(40, 37, 3);
        Matrix<double> batch = net.Predict(x);
        double[] output = new double[5];
        for (int r = 0; r < x.RowCount; r++)
        {
            net.Predict(x.Row(r).ToArray(), output);
            batch.Row(r).ToArray().Should().Equal(output, (a, b) => Math.Abs(a - b) <= 1e-13, "row {0}", r);
        }
    }

    [Fact]
    public void PredictSpan_ConvolutionalNetwork_MatchesTheRowOfABatchWithinRounding()
    {
        // Conv and pooling layers have no single-row path: they run their batch inference on one row.
        Network<float> net = new NetworkBuilder<float>(new FeatureShape(1, 8, 8)).WithSeed(4)
            .AddConv2D(3, new Size2D(3, 3), activation: Activation.ReLU)
            .AddMaxPool2D(new Size2D(2, 2))
            .AddFlatten()
            .AddDense(6, Activation.Softmax)
            .Build();
        Matrix<float> x = Rows<float>(5, 64, 7);
        Matrix<float> batch = net.Predict(x);
        float[] output = new float[6];
        for (int r = 0; r < x.RowCount; r++)
        {
            net.Predict(x.Row(r).ToArray(), output);
            batch.Row(r).ToArray().Should().Equal(output, (a, b) => Math.Abs(a - b) <= 1e-6f, "row {0}", r);
            net.Predict(x.SubMatrix(r, 1, 0, 64)).Row(0).ToArray().Should().Equal(output);
        }
    }

    [Fact]
    public void PredictSpan_Double_AfterWarmUp_AllocatesNothing()
    {
        Network<double> net = Mixed<double>();
        double[] x = Rows<double>(1, 37, 8).Row(0).ToArray(), output = new double[5];
        net.Predict(x, output);

        Allocations.LeastPerRound(() => net.Predict(x, output)).Should().Be(0);
    }

    [Fact]
    public void PredictClassAndModelPredict_AfterWarmUp_AllocateNothing()
    {
        Network<float> net = new NetworkBuilder<float>(784).WithSeed(2)
            .AddDense(256, Activation.ReLU).AddDense(128, Activation.ReLU).AddDense(10, Activation.Softmax).Build();
        Matrix<float> data = Rows<float>(30, 784, 9);
        var model = new Model<float>(net, new StandardScaler().Fit(data));
        float[] x = data.Row(3).ToArray(), output = new float[10];
        int predicted = net.PredictClass(x);
        model.Predict(x, output);
        model.PredictClass(x);

        Allocations.LeastPerRound(() => predicted = net.PredictClass(x)).Should().Be(0);
        Allocations.LeastPerRound(() => model.Predict(x, output)).Should().Be(0);
        Allocations.LeastPerRound(() => model.PredictClass(x)).Should().Be(0);
        predicted.Should().BeInRange(0, 9);
    }

    [Fact]
    public void PredictSpan_FromManyThreadsAtOnce_GivesTheSingleThreadedBits()
    {
        // Every thread keeps its own scratch; networks of different widths share a thread's scratch one call at a time.
        Network<float> wide = new NetworkBuilder<float>(300).WithSeed(1).AddDense(200, Activation.ReLU).AddDense(7, Activation.Softmax).Build();
        Network<float> narrow = new NetworkBuilder<float>(300).WithSeed(2).AddDense(3).Build();
        Matrix<float> x = Rows<float>(16, 300, 10);
        float[][] wideExpected = new float[16][], narrowExpected = new float[16][];
        for (int r = 0; r < 16; r++)
        {
            wideExpected[r] = new float[7];
            narrowExpected[r] = new float[3];
            wide.Predict(x.Row(r).ToArray(), wideExpected[r]);
            narrow.Predict(x.Row(r).ToArray(), narrowExpected[r]);
        }

        float[][] rows = Enumerable.Range(0, 16).Select(r => x.Row(r).ToArray()).ToArray();
        int mismatches = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int r = i % 16;
            float[] a = new float[7], b = new float[3];
            wide.Predict(rows[r], a);
            narrow.Predict(rows[r], b);
            if (!a.AsSpan().SequenceEqual(wideExpected[r]) || !b.AsSpan().SequenceEqual(narrowExpected[r]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });
        mismatches.Should().Be(0);
    }
}
