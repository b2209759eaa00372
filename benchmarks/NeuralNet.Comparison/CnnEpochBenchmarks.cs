using BenchmarkDotNet.Attributes;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>
/// One epoch of the FashionCnn sample's network (conv 32 - pool - conv 64 - pool - dense 128 - dropout 0.3 - softmax,
/// batch 64, Adam 0.0015 held constant, shuffled, two threads) on the first <see cref="Settings.CnnRows"/> training rows
/// (a fixed subset, 12,000 by default, to keep the run to minutes): NeuralNet's <c>Trainer.Fit</c> against the same
/// idiomatic torch loop as the MLP's, the rows viewed as <c>[n, 1, 28, 28]</c>.
/// </summary>
[MemoryDiagnoser]
public class CnnEpochBenchmarks
{
    private static readonly long[] s_image = [1, 28, 28];
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
        _data = ComparisonData.Training.Take(Settings.CnnRows);
        _network = Models.NeuralNetCnn(42);
        _trainer = new Trainer<float>(new TrainerOptions { Epochs = 1, BatchSize = 64, Seed = 42, Optimizer = new Adam(0.0015), Loss = Loss.SparseCategoricalCrossEntropy });
        _model = Models.TorchCnn(42);
        Models.CopyWeights(_network, _model);
        _optimizer = torch.optim.Adam(_model.parameters(), lr: 0.0015);
        _generator = new torch.Generator(42);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true, Description = "TorchSharp: idiomatic loop")]
    public double TorchSharp() => TorchLoop.Epoch(_model, _optimizer, _data.TorchFeatures, _data.TorchLabels, 64, _generator, imageShape: s_image);

    [Benchmark(Description = "NeuralNet: Trainer.Fit, 1 epoch")]
    public TrainingHistory NeuralNet() => _trainer.Fit(_network, _data.Features, _data.Targets);
}
