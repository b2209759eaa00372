// Fashion-MNIST with a small convolutional network: conv 32 - pool - conv 64 - pool - dense 128 - softmax, trained
// with Adam and a cosine schedule. Prints a progress bar per epoch and each epoch's test accuracy, then saves the model,
// the curves, the confusion heat map and a grid of misclassified test images.
using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Samples;
using NeuralNet.Schedules;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Spectre.Console;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const string DefaultDirectory = SampleSupport.FashionMnistDirectory;
string[] classNames = SampleSupport.FashionMnistClasses;

Dictionary<string, string> options;
try
{
    options = SampleSupport.ParseArgs(args, ["data", "out", "epochs", "batch-size", "learning-rate", "seed", "train-samples", "dropout"]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ContainsKey("help"))
{
    Console.WriteLine($"""
        FashionCnn: trains a small convolutional network on Fashion-MNIST (28x28 grey images, 10 classes):
        conv 32 3x3 - max pool 2 - conv 64 3x3 - max pool 2 - dense 128 - dropout - softmax, Adam with cosine decay.

        Usage: dotnet run --project samples/FashionCnn -c Release -- [options]

          --data DIR            folder with the four Fashion-MNIST IDX files, gzipped or not (default: {DefaultDirectory},
                                from the Debian package dataset-fashion-mnist)
          --out DIR             where to write fashion-cnn.nnm and the PNGs (default: out)
          --epochs N            training epochs (default: 8)
          --batch-size N        mini-batch size (default: 64)
          --dropout R           dropout rate before the output layer (default: 0.3; 0 turns it off)
          --learning-rate R     initial Adam step size, decayed to 0 by a cosine (default: 0.0015)
          --train-samples N     use only the first N training images (default: all 60,000)
          --seed S              seed of the weights, dropout and the shuffles (default: 42)
          -h, --help            this text
        """);
    return 0;
}

string dataDir = options.GetValueOrDefault("data") ?? DefaultDirectory;
string outDir = options.GetValueOrDefault("out") ?? "out";
int epochs = SampleSupport.Int(options, "epochs", 8);
int batchSize = SampleSupport.Int(options, "batch-size", 64);
double dropout = SampleSupport.Double(options, "dropout", 0.3);
double learningRate = SampleSupport.Double(options, "learning-rate", 0.0015);
int? trainSamples = options.ContainsKey("train-samples") ? SampleSupport.Int(options, "train-samples", 60000) : null;
long seed = SampleSupport.Int(options, "seed", 42);

var clock = Stopwatch.StartNew();
if (SampleSupport.LoadFashionMnist(dataDir, trainSamples) is not { } loaded)
{
    return 3;
}

(Dataset<float> train, Dataset<float> test) = loaded;
Directory.CreateDirectory(outDir);
AnsiConsole.MarkupLine($"Loaded {train.Count:N0} training and {test.Count:N0} test images of {train.FeatureCount} pixels in {clock.Elapsed.TotalSeconds:F1} s (pixels scaled to [[0, 1]]; each row is one 1x28x28 image).");

Network<float> network = CnnModel.Build(seed, dropout);
AnsiConsole.WriteLine(network.Summary());
var trainer = new Trainer<float>(new TrainerOptions
{
    Epochs = epochs,
    BatchSize = batchSize,
    Seed = seed,
    Optimizer = new Adam(learningRate),
    Schedule = new CosineSchedule(epochs),
    Loss = Loss.SparseCategoricalCrossEntropy,

    // No metrics and no validation set for the trainer: training-set metrics would predict all 60,000 training
    // images after every epoch (a third of the epoch's work). The test set is evaluated below, once per epoch, and
    // that time is kept apart from the training time.
});

var testLoss = new List<double>();
var testAccuracy = new List<double>();
var evaluationTime = TimeSpan.Zero;
string Evaluate(EpochReport r)
{
    long started = Stopwatch.GetTimestamp();
    Matrix<float> p = network.Predict(test.Features);
    testLoss.Add(Loss.SparseCategoricalCrossEntropy.Compute<float>(p.AsColumnMajorArray(), test.Targets.AsColumnMajorArray(), p.RowCount));
    testAccuracy.Add(ConfusionMatrix.Compute(p, test.Targets).Accuracy);
    evaluationTime += Stopwatch.GetElapsedTime(started);
    return $"{r.Epoch,2}/{epochs,-2}  {r.Elapsed.TotalSeconds,8:F1}   {r.Loss,10:F4}   {testLoss[^1],9:F4}   {testAccuracy[^1],8:F4}";
}

TrainingHistory history = null!;
var trainingClock = Stopwatch.StartNew();
if (Console.IsOutputRedirected)
{
    // Plain lines when the output goes to a file or a pipe (a live progress bar would be re-printed every refresh).
    Console.WriteLine("epoch   time (s)   train loss   test loss   test acc");
    history = trainer.Fit(network, train.Features, train.Targets, new SampleSupport.Callback<EpochReport>(r => Console.WriteLine(Evaluate(r))));
}
else
{
    AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
        .Start(ctx =>
        {
            ProgressTask? task = null;
            var progress = new SampleSupport.Callback<EpochReport>(r =>
            {
                Evaluate(r);
                task!.Description = $"epoch {r.Epoch}/{epochs}: loss {r.Loss:F4}, test loss {testLoss[^1]:F4}, test accuracy {testAccuracy[^1]:F4}, {r.Elapsed.TotalSeconds:F1} s";
                task.StopTask();
                task = null;
            });
            history = trainer.Fit(network, train.Features, train.Targets, null, null, progress, onBatch: b =>
            {
                task ??= ctx.AddTask($"epoch {b.Epoch}/{epochs}", maxValue: b.BatchCount);
                task.Value = b.Batch;
                if (b.Batch % 20 == 0)
                {
                    task.Description = $"epoch {b.Epoch}/{epochs}: batch loss {b.Loss:F4}";
                }
            });
        });
}

double totalSeconds = trainingClock.Elapsed.TotalSeconds;
double trainingSeconds = totalSeconds - evaluationTime.TotalSeconds;
Matrix<float> predictions = network.Predict(test.Features);
ConfusionMatrix confusion = ConfusionMatrix.Compute(predictions, test.Targets);
SampleSupport.PrintConfusion(confusion, classNames);
AnsiConsole.MarkupLine($"Test accuracy: [bold]{confusion.Accuracy:F4}[/] after {history.Epochs.Count} epochs: {trainingSeconds:F1} s of training ({trainingSeconds / history.Epochs.Count:F1} s per epoch), plus {evaluationTime.TotalSeconds:F1} s evaluating the test set after each epoch.");

string modelPath = Path.Combine(outDir, "fashion-cnn.nnm");
ModelFile.Save(modelPath, network, new ModelSaveOptions
{
    Labels = new LabelMap(classNames),
    Metadata = new Dictionary<string, string> { ["dataset"] = "Fashion-MNIST", ["preprocessing"] = "pixels / 255", ["input_shape"] = "1x28x28" },
    TrainingSummary = new Dictionary<string, double> { ["epochs"] = history.Epochs.Count, ["final_loss"] = history.Loss[^1], ["test_accuracy"] = confusion.Accuracy, ["training_seconds"] = trainingSeconds },
});
var (lossPng, accuracyPng) = Curves.Save(history, testLoss, testAccuracy, outDir, "fashion-cnn");
string confusionPng = SampleSupport.SaveConfusionHeatmap(confusion, classNames, outDir, "fashion-cnn");
string misclassifiedPng = MisclassifiedGrid.Save(test.Features, test.Targets, predictions, classNames, outDir, "fashion-cnn");
AnsiConsole.MarkupLine($"Saved {Markup.Escape(modelPath)}, {Markup.Escape(lossPng)}, {Markup.Escape(accuracyPng)}, {Markup.Escape(confusionPng)}, {Markup.Escape(misclassifiedPng)}. Total time {clock.Elapsed.TotalSeconds:F1} s.");
return 0;
