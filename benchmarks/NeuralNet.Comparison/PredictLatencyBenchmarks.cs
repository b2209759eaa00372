using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Onnx;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>
/// Latency of one sample through the reference MLP (784-256-128-10, softmax output), one thread everywhere:
/// NeuralNet's <c>Predict(ReadOnlySpan, Span)</c>; ONNX Runtime on the model written by <see cref="OnnxExporter"/>
/// (IntraOpNumThreads = InterOpNumThreads = 1, all graph optimisations, sequential execution; input and output bound
/// once, through an <see cref="OrtIoBinding"/>, to <see cref="OrtValue"/>s over pre-allocated managed arrays); TorchSharp under <c>no_grad</c> in eval mode on a <c>[1, 784]</c>
/// tensor made once, softmax applied and the ten probabilities copied out. All three hold the same weights (copied from
/// the NeuralNet network), and the set-up checks that they agree.
/// </summary>
[MemoryDiagnoser]
public class PredictLatencyBenchmarks
{
    private readonly float[] _input = new float[784];
    private readonly float[] _output = new float[10];
    private Network<float> _network = null!;
    private torch.nn.Module<torch.Tensor, torch.Tensor> _model = null!;
    private torch.Tensor _torchInput = null!;
    private InferenceSession _session = null!;
    private SessionOptions _sessionOptions = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _ortInput = null!, _ortOutput = null!;
    private OrtIoBinding _binding = null!;
    private string _modelPath = "";

    [GlobalSetup]
    public void Setup()
    {
        Settings.UseThreads(1);
        ComparisonData.Test.RowMajor.AsSpan(0, 784).CopyTo(_input);
        _network = Models.NeuralNetMlp(1);
        _model = Models.TorchMlp(1);
        Models.CopyWeights(_network, _model);
        _model.eval();
        _torchInput = torch.tensor(_input, [1, 784], torch.float32);

        _modelPath = Path.Combine(Path.GetTempPath(), $"neuralnet-comparison-{Environment.ProcessId}.onnx");
        OnnxExporter.Save(_modelPath, _network);
        _sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(_modelPath, _sessionOptions);
        _runOptions = new RunOptions();
        _ortInput = OrtValue.CreateTensorValueFromMemory(_input, [1, 784]);
        _ortOutput = OrtValue.CreateTensorValueFromMemory(_output, [1, 10]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(_session.InputNames[0], _ortInput);
        _binding.BindOutput(_session.OutputNames[0], _ortOutput);

        var expected = new float[10];
        _network.Predict(_input, expected);
        Check("ONNX Runtime", OnnxRuntime, expected);
        Check("TorchSharp", TorchSharp, expected);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _binding.Dispose();
        _ortInput.Dispose();
        _ortOutput.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
        _runOptions.Dispose();
        _torchInput.Dispose();
        _model.Dispose();
        File.Delete(_modelPath);
    }

    [Benchmark(Baseline = true, Description = "TorchSharp: no_grad forward + softmax")]
    public float TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        torch.Tensor probabilities = torch.nn.functional.softmax(_model.forward(_torchInput), 1);
        probabilities.data<float>().CopyTo(_output);
        return _output[0];
    }

    [Benchmark(Description = "ONNX Runtime: RunWithBinding, bound OrtValues")]
    public float OnnxRuntime()
    {
        _session.RunWithBinding(_runOptions, _binding);
        return _output[0];
    }

    [Benchmark(Description = "NeuralNet: Predict(span, span)")]
    public float NeuralNet()
    {
        _network.Predict(_input, _output);
        return _output[0];
    }

    private void Check(string name, Func<float> predict, float[] expected)
    {
        Array.Clear(_output);
        predict();
        float worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(_output[i] - expected[i]));
        }

        Console.WriteLine($"// {name} against NeuralNet on the same sample: largest probability difference {worst:G3}");
        if (worst > 1e-4f)
        {
            throw new InvalidOperationException($"{name} disagrees with NeuralNet by {worst} on the same weights");
        }
    }
}
