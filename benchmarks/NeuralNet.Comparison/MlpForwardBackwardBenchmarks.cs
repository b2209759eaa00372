using BenchmarkDotNet.Attributes;
using NeuralNet.Losses;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>
/// The MLP epoch without the optimiser and without shuffling: forward, loss and backward over the 469 batches of 128
/// (the last 96) in order, two threads. The batches are prepared once (NeuralNet: column-major copies; torch: row views
/// of the data tensor), so the difference from <see cref="MlpEpochBenchmarks"/> is the trainer's (or the torch loop's)
/// own share: shuffling, gathering, the optimiser step and the checks.
/// </summary>
[MemoryDiagnoser]
public class MlpForwardBackwardBenchmarks
{
    private const int BatchSize = 128;
    private Network<float> _network = null!;
    private float[][] _inputs = [], _targets = [];
    private int[] _lengths = [];
    private torch.nn.Module<torch.Tensor, torch.Tensor> _model = null!;
    private torch.Tensor[] _torchInputs = [], _torchTargets = [];

    [GlobalSetup]
    public void Setup()
    {
        Settings.UseThreads(2);
        ComparisonData data = ComparisonData.Training;
        _network = Models.NeuralNetMlp(1);
        _model = Models.TorchMlp(1);
        Models.CopyWeights(_network, _model);
        int batches = (data.Count + BatchSize - 1) / BatchSize;
        _inputs = new float[batches][];
        _targets = new float[batches][];
        _lengths = new int[batches];
        _torchInputs = new torch.Tensor[batches];
        _torchTargets = new torch.Tensor[batches];
        for (int b = 0; b < batches; b++)
        {
            int start = b * BatchSize, length = Math.Min(BatchSize, data.Count - start);
            _lengths[b] = length;
            _inputs[b] = data.Features.SubMatrix(start, length, 0, data.Features.ColumnCount).ToColumnMajorArray();
            _targets[b] = data.Targets.SubMatrix(start, length, 0, 1).ToColumnMajorArray();
            _torchInputs[b] = data.TorchFeatures.narrow(0, start, length);
            _torchTargets[b] = data.TorchLabels.narrow(0, start, length);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(Baseline = true, Description = "TorchSharp: forward, cross_entropy, zero_grad, backward")]
    public void TorchSharp()
    {
        for (int b = 0; b < _lengths.Length; b++)
        {
            using var scope = torch.NewDisposeScope();
            torch.Tensor loss = torch.nn.functional.cross_entropy(_model.forward(_torchInputs[b]), _torchTargets[b]);
            _model.zero_grad();
            loss.backward();
        }
    }

    [Benchmark(Description = "NeuralNet: Network.ComputeGradients")]
    public float NeuralNet()
    {
        float last = 0;
        for (int b = 0; b < _lengths.Length; b++)
        {
            last = _network.ComputeGradients(_inputs[b], _targets[b], _lengths[b], Loss.SparseCategoricalCrossEntropy);
        }

        return last;
    }
}
