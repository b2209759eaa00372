// Handwritten digits (the UCI optdigits 8x8 images, 1,797 samples): load a CSV, split stratified, scale on the training
// part only, train a small network with Adam, report test accuracy and the confusion matrix, save the model file and
// the training curves, and check that the saved model predicts bit-identically.
using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Samples;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Spectre.Console;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Dictionary<string, string> options;
try
{
    options = SampleSupport.ParseArgs(args, ["data", "out", "epochs", "hidden", "learning-rate", "seed"]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ContainsKey("help"))
{
    Console.WriteLine("""
        Digits: trains a 64-64-10 network on the optdigits 8x8 handwritten digits (1,797 samples).

        Usage: dotnet run --project samples/Digits -c Release -- [options]

          --data FILE           CSV (optionally .gz) of 64 pixel columns and the digit last, no header
                                (default: data/digits.csv.gz next to the program, copied from samples/data)
          --out DIR             where to write digits.nnm and the curves (default: out)
          --epochs N            training epochs (default: 40)
          --hidden N            hidden units (default: 64)
          --learning-rate R     Adam step size (default: 0.002)
          --seed S              seed of the split, the weights and the shuffles (default: 42)
          -h, --help            this text
        """);
    return 0;
}

string dataPath = options.GetValueOrDefault("data") ?? Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
string outDir = options.GetValueOrDefault("out") ?? "out";
int epochs = SampleSupport.Int(options, "epochs", 40);
int hidden = SampleSupport.Int(options, "hidden", 64);
double learningRate = SampleSupport.Double(options, "learning-rate", 0.002);
long seed = SampleSupport.Int(options, "seed", 42);
Directory.CreateDirectory(outDir);
var clock = Stopwatch.StartNew();

// 1. Data: 64 pixel intensities (0..16) and the digit; 20 % held out for testing, stratified by digit.
CsvTable<float> table = CsvLoader.Load<float>(dataPath, new CsvOptions { HasHeader = false });
LabelMap labels = LabelMap.Fit(table.Labels);
Dataset<float> all = table.ToClassificationDataset(labels);
var (train, test) = all.Split(testFraction: 0.2, seed);
var scaler = new MinMaxScaler();
Matrix<float> xTrain = scaler.FitTransform(train.Features), xTest = scaler.Transform(test.Features);
AnsiConsole.MarkupLine($"Loaded [bold]{all.Count}[/] samples of {all.FeatureCount} pixels, {labels.Count} classes from {Markup.Escape(dataPath)}: {train.Count} for training, {test.Count} for testing.");

// 2. Network and trainer.
Network<float> network = new NetworkBuilder<float>(all.FeatureCount).WithSeed(seed)
    .AddDense(hidden, Activation.ReLU)
    .AddDense(labels.Count, Activation.Softmax)
    .Build();
var trainerOptions = new TrainerOptions
{
    Epochs = epochs,
    BatchSize = 32,
    Seed = seed,
    Optimizer = new Adam(learningRate),
    Loss = Loss.SparseCategoricalCrossEntropy,
    Metrics = [Metric.Accuracy],
};
var trainer = new Trainer<float>(trainerOptions);
AnsiConsole.WriteLine(network.Summary());

TrainingHistory history = null!;
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(ctx =>
    {
        ProgressTask task = ctx.AddTask("training", maxValue: epochs);
        var progress = new SampleSupport.Callback<EpochReport>(r =>
        {
            task.Description = $"epoch {r.Epoch}/{epochs}  loss {r.Loss:F4}  test acc {r.Metrics["val_accuracy"]:F3}";
            task.Increment(1);
        });
        history = trainer.Fit(network, xTrain, train.Targets, xTest, test.Targets, progress);
    });

// 3. Evaluation.
Matrix<float> predictions = network.Predict(xTest);
ConfusionMatrix confusion = ConfusionMatrix.Compute(predictions, test.Targets);
double accuracy = confusion.Accuracy;
SampleSupport.PrintConfusion(confusion, labels.ClassNames);
AnsiConsole.MarkupLine($"Test accuracy: [bold]{accuracy:F4}[/] ({confusion.Total - MisclassifiedCount(confusion)} of {confusion.Total} correct) after {history.Epochs.Count} epochs, final training loss {history.Loss[^1]:F4}.");

// 4. Model file and curves; the reloaded model must give the same bits.
string modelPath = Path.Combine(outDir, "digits.nnm");
ModelFile.Save(modelPath, network, new ModelSaveOptions
{
    Scaler = scaler,
    Labels = labels,
    Metadata = new Dictionary<string, string> { ["dataset"] = "UCI optdigits 8x8 (1,797 samples)", ["sample"] = "Digits" },
    TrainingSummary = new Dictionary<string, double> { ["epochs"] = history.Epochs.Count, ["final_loss"] = history.Loss[^1], ["test_accuracy"] = accuracy },
});
SavedModel<float> reloaded = ModelFile.Load<float>(modelPath);
bool identical = SampleSupport.BitIdentical(reloaded.Network.Predict(reloaded.Scaler!.Transform(test.Features)), predictions);
var (lossPng, accuracyPng) = SampleSupport.SaveCurves(history, outDir, "digits");
string confusionPng = SampleSupport.SaveConfusionHeatmap(confusion, labels.ClassNames, outDir, "digits");
AnsiConsole.MarkupLine($"Saved {Markup.Escape(modelPath)} ({new FileInfo(modelPath).Length:N0} bytes; reloaded model predicts bit-identically: {(identical ? "[green]yes[/]" : "[red]NO[/]")}), {Markup.Escape(lossPng)}, {Markup.Escape(accuracyPng)}, {Markup.Escape(confusionPng)}.");
AnsiConsole.MarkupLine($"Total time {clock.Elapsed.TotalSeconds:F1} s.");
return identical && accuracy >= 0.97 ? 0 : 1;

static long MisclassifiedCount(ConfusionMatrix m)
{
    long wrong = 0;
    for (int a = 0; a < m.ClassCount; a++)
    {
        for (int p = 0; p < m.ClassCount; p++)
        {
            wrong += a == p ? 0 : m[a, p];
        }
    }

    return wrong;
}
