using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using TorchSharp;

namespace NeuralNet.Comparison;

/// <summary>
/// The sanity check printed once before the timings: each network trained for one epoch by each library from the same
/// initial weights (NeuralNet's, copied into the torch twin), then its mean training loss over the epoch, and its test
/// loss and accuracy (inference mode). Only the shuffle order and the dropout masks differ, so both sides should land
/// close together; a large gap would mean the two timed loops do not do the same work.
/// </summary>
public static class TrainingCheck
{
    private static readonly long[] s_image = [1, 28, 28];

    /// <summary>Trains and prints both networks with both libraries (two threads).</summary>
    public static void Run()
    {
        Settings.UseThreads(2);
        ComparisonData train = ComparisonData.Training, test = ComparisonData.Test;
        Console.WriteLine($"// Training check (one epoch each, outside the timings), data: {train.Source}, {train.Count:N0} training and {test.Count:N0} test rows");
        Console.WriteLine("// | Network | Library | Train loss (epoch mean) | Test loss | Test accuracy |");
        Console.WriteLine("// |---|---|---|---|---|");

        TorchRow("MLP, 60,000 rows", Models.TorchMlp(1), Models.NeuralNetMlp(1), train, test, 128, 1e-3, 1, null);
        NeuralNetRow("MLP, 60,000 rows", Models.NeuralNetMlp(1), train, test, 128, 1e-3, 1);

        ComparisonData subset = train.Take(Settings.CnnRows);
        string cnn = $"CNN, {subset.Count:N0} rows";
        TorchRow(cnn, Models.TorchCnn(42), Models.NeuralNetCnn(42), subset, test, 64, 0.0015, 42, s_image);
        NeuralNetRow(cnn, Models.NeuralNetCnn(42), subset, test, 64, 0.0015, 42);
    }

    private static void NeuralNetRow(string name, Network<float> network, ComparisonData train, ComparisonData test, int batch, double rate, long seed)
    {
        var trainer = new Trainer<float>(new TrainerOptions { Epochs = 1, BatchSize = batch, Seed = seed, Optimizer = new Adam(rate), Loss = Loss.SparseCategoricalCrossEntropy });
        TrainingHistory history = trainer.Fit(network, train.Features, train.Targets);
        double testLoss = network.ComputeLoss(test.Features, test.Targets, Loss.SparseCategoricalCrossEntropy);
        double accuracy = ConfusionMatrix.Compute(network.Predict(test.Features), test.Targets).Accuracy;
        Print(name, "NeuralNet", history.Loss[^1], testLoss, accuracy);
    }

    private static void TorchRow(string name, torch.nn.Module<torch.Tensor, torch.Tensor> model, Network<float> initial, ComparisonData train, ComparisonData test, int batch, double rate, long seed, long[]? image)
    {
        Models.CopyWeights(initial, model);
        using (model)
        using (torch.optim.Optimizer optimizer = torch.optim.Adam(model.parameters(), lr: rate))
        {
            var generator = new torch.Generator((ulong)seed);
            double trainLoss = TorchLoop.Epoch(model, optimizer, train.TorchFeatures, train.TorchLabels, batch, generator, readLoss: true, imageShape: image);
            (double testLoss, double accuracy) = TorchLoop.Evaluate(model, test.TorchFeatures, test.TorchLabels, image);
            Print(name, "TorchSharp", trainLoss, testLoss, accuracy);
        }
    }

    private static void Print(string name, string library, double trainLoss, double testLoss, double accuracy) =>
        Console.WriteLine($"// | {name} | {library} | {trainLoss:F4} | {testLoss:F4} | {accuracy:F4} |");
}
