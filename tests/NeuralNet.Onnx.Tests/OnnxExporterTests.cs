using System.Numerics;
using Xunit.Abstractions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>Every exported model runs in ONNX Runtime 1.31.1 and matches <c>Predict</c> (1e-5 in float, 1e-12 in double,
/// relative to max(|expected|, 1)).</summary>
public sealed class OnnxExporterTests(ITestOutputHelper log)
{
    public static TheoryData<string, bool> Activations()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in Networks.ActivationNames)
        {
            data.Add(name, false);

            // ONNX Runtime's CPU provider has no double Erf kernel; the double gelu_exact graph is checked by the ONNX
            // checker only (OnnxCheckerTests).
            if (name != "gelu_exact")
            {
                data.Add(name, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Save_EachActivation_OnnxRuntimeMatchesPredict(string activation, bool isDouble)
    {
        if (isDouble)
        {
            CheckActivation<double>(activation);
        }
        else
        {
            CheckActivation<float>(activation);
        }
    }

    private void CheckActivation<T>(string activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Networks.WithActivation<T>(activation);
        Matrix<T> x = Networks.Inputs<T>(17, 5);
        foreach (int opset in new[] { 13, 17, 21 })
        {
            byte[] model = OnnxExporter.ToBytes(network, new OnnxExportOptions { Opset = opset });
            var (output, _) = OnnxRuntimeRunner.Run(model, x);
            double worst = Tolerance.AssertClose(output, network.Predict(x), Tolerance.For<T>(), $"({activation}, opset {opset})");
            log.WriteLine($"{activation} {typeof(T).Name} opset {opset}: worst scaled error {worst:E2}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Save_BatchNormAndDropout_OnnxRuntimeMatchesPredict(bool isDouble)
    {
        if (isDouble)
        {
            CheckBatchNorm<double>();
        }
        else
        {
            CheckBatchNorm<float>();
        }
    }

    private void CheckBatchNorm<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = Networks.WithBatchNorm<T>();
        Matrix<T> x = Networks.Inputs<T>(33, 6);
        var (output, _) = OnnxRuntimeRunner.Run(OnnxExporter.ToBytes(network), x);
        double worst = Tolerance.AssertClose(output, network.Predict(x), Tolerance.For<T>());
        log.WriteLine($"batch norm {typeof(T).Name}: worst scaled error {worst:E2}");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Save_ScalerInFront_OnnxRuntimeTakesRawFeatures(bool isDouble, bool minMax)
    {
        if (isDouble)
        {
            CheckScaler<double>(minMax);
        }
        else
        {
            CheckScaler<float>(minMax);
        }
    }

    private static void CheckScaler<T>(bool minMax) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Scaler scaler = Networks.FittedScaler<T>(4, minMax ? new MinMaxScaler() : new StandardScaler());
        Network<T> network = Networks.Randomize(new NetworkBuilder<T>(4).WithSeed(3)
            .AddDense(6, NeuralNet.Activations.Activation.Tanh).AddDense(2, NeuralNet.Activations.Activation.Sigmoid).Build(), 3);
        var random = new Random(5);
        Matrix<T> raw = Matrix<T>.Build.Dense(20, 4, (_, c) => T.CreateTruncating(10 * c + (c + 1) * 3 * random.NextDouble()));
        var (output, _) = OnnxRuntimeRunner.Run(OnnxExporter.ToBytes(network, new OnnxExportOptions { Scaler = scaler }), raw);
        Tolerance.AssertClose(output, network.Predict(scaler.Transform(raw)), Tolerance.For<T>());
    }

    [Fact]
    public void Save_WithArgMax_SecondOutputIsPredictedClass()
    {
        Network<float> network = Networks.WithBatchNorm<float>();
        Matrix<float> x = Networks.Inputs<float>(40, 6);
        var labels = new LabelMap(["cat", "dog", "bird"]);
        byte[] model = OnnxExporter.ToBytes(network, new OnnxExportOptions { IncludeArgMax = true, Labels = labels });
        var (output, argMax) = OnnxRuntimeRunner.Run(model, x);
        Matrix<float> expected = network.Predict(x);
        Tolerance.AssertClose(output, expected, 1e-5);
        argMax.Should().Equal(Enumerable.Range(0, x.RowCount).Select(r => (long)expected.Row(r).MaximumIndex()));
    }
}
