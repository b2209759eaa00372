using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Onnx.Tests.TestSupport;

namespace NeuralNet.Onnx.Tests;

/// <summary>Every kind of exported file passes the official checker, <c>onnx.checker.check_model(model, full_check=True)</c>
/// (Debian's python3-onnx 1.12, which knows opsets up to 17), run once over all of them.</summary>
public sealed class OnnxCheckerTests
{
    [Fact]
    public void Save_EveryLayerActivationScalerAndOpset_PassesOnnxChecker()
    {
        using var directory = new TempDirectory();
        var paths = new List<string>();
        Export<float>(directory, paths);
        Export<double>(directory, paths);
        paths.Count.Should().Be(2 * ((Networks.ActivationNames.Count * 3) + 4));

        var (allPassed, report) = OnnxChecker.Check(paths);

        allPassed.Should().BeTrue(report);
        report.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)).Should().Be(paths.Count, report);
    }

    [Fact]
    public void Checker_ModelWithUnknownOperator_Fails()
    {
        // The control: the same script rejects a model whose Gemm was renamed to an operator ONNX does not define.
        using var directory = new TempDirectory();
        var model = OnnxExporter.BuildModel(Networks.WithActivation<float>("relu"), new OnnxExportOptions());
        model.Graph.Node[0].OpType = "Gemmm";
        string path = directory.File("bad.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));

        var (allPassed, report) = OnnxChecker.Check([path]);

        allPassed.Should().BeFalse();
        report.Should().Contain("FAIL").And.Contain("Gemmm");
    }

    private static void Export<T>(TempDirectory directory, List<string> paths) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string type = typeof(T).Name;
        foreach (string activation in Networks.ActivationNames)
        {
            foreach (int opset in new[] { 13, 15, 17 })
            {
                string path = directory.File($"{type}-{activation.Replace('(', '_').Replace(')', '_').Replace('=', '_')}-{opset}.onnx");
                OnnxExporter.Save(path, Networks.WithActivation<T>(activation), new OnnxExportOptions { Opset = opset });
                paths.Add(path);
            }
        }

        string batchNorm = directory.File($"{type}-batchnorm.onnx");
        OnnxExporter.Save(batchNorm, Networks.WithBatchNorm<T>(), new OnnxExportOptions
        {
            IncludeArgMax = true,
            Labels = new LabelMap(["a", "b", "c"]),
            Metadata = new Dictionary<string, string> { ["dataset"] = "synthetic" },
            Description = "checker test",
        });
        paths.Add(batchNorm);

        string image = directory.File($"{type}-image.onnx");
        OnnxExporter.Save(image, Networks.Randomize(new NetworkBuilder<T>(new FeatureShape(1, 4, 4)).AddDense(3, NeuralNet.Activations.Activation.Tanh).Build(), 6),
            new OnnxExportOptions { Scaler = Networks.FittedScaler<T>(16, new MinMaxScaler()) });
        paths.Add(image);

        foreach (Scaler scaler in new Scaler[] { new StandardScaler(), new MinMaxScaler() })
        {
            string path = directory.File($"{type}-{scaler.Kind}.onnx");
            Network<T> network = Networks.Randomize(new NetworkBuilder<T>(4).AddDense(3, NeuralNet.Activations.Activation.ReLU).Build(), 4);
            OnnxExporter.Save(path, network, new OnnxExportOptions { Scaler = Networks.FittedScaler<T>(4, scaler) });
            paths.Add(path);
        }
    }
}
