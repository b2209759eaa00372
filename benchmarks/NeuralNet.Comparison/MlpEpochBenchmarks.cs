using BenchmarkDotNet.Attributes;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>
/// One training epoch of the reference MLP (784-256-128-10, batch 128, Adam 0.001, shuffled, FP32, two threads) on the
/// 60,000 training rows: NeuralNet's <c>Trainer.Fit</c> with one epoch (so each invocation also pays the trainer's
/// once-per-fit set-up, a row-major copy of the data) against TorchSharp's idiomatic loop over tensors built once.
/// Both start from the same weights (NeuralNet's, copied into the torch twin).
/// </summary>
[MemoryDiagnoser]
public class MlpEpochBenchmarks
{
    private ComparisonData _data = null!;
    private Network<float> _network = null!;
    private Trainer<float> _trainer = null!;
    private torch.nn.Module<torch.Tensor, torch.Tensor> _model = null!;
    private torch.optim.Optimizer _optimizer = null!;
    private torch.Generator _generator = null!;

    [GlobalSetup]
    public void Setup()
    {
        Settings.UseThreads(2);
        _data = ComparisonData.Training;
        _network = Models.NeuralNetMlp(1);
        _trainer = new Trainer<float>(new TrainerOptions { Epochs = 1, BatchSize = 128, Seed = 1, Optimizer = new Adam(1e-3), Loss = Loss.SparseCategoricalCrossEntropy });
        _model = Models.TorchMlp(1);
        Models.CopyWeights(_network, _model);
        _optimizer = torch.optim.Adam(_model.parameters(), lr: 1e-3);
        _generator = new torch.Generator(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true, Description = "TorchSharp: randperm, index_select, forward, cross_entropy, backward, step")]
    public double TorchSharp() => TorchLoop.Epoch(_model, _optimizer, _data.TorchFeatures, _data.TorchLabels, 128, _generator);

    [Benchmark(Description = "NeuralNet: Trainer.Fit, 1 epoch")]
    public TrainingHistory NeuralNet() => _trainer.Fit(_network, _data.Features, _data.Targets);
}
