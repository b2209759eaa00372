// Fashion-MNIST (Zalando, 70,000 28x28 grey-scale clothing images in 10 classes) from its IDX files: trains a
// 784-256-128-10 network with batch normalisation, dropout and AdamW (linear warm-up over 30% of the epochs, then cosine
// decay), printing each epoch's time and test accuracy, then saves the model and the curves.
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
    options = SampleSupport.ParseArgs(args, ["data", "out", "epochs", "batch-size", "learning-rate", "seed", "train-samples", "dropout", "label-smoothing", "warmup", "standardize", "batch-norm", "hidden", "input-dropout", "weight-decay", "one-cycle"]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ContainsKey("help"))
{
    Console.WriteLine($"""
        FashionMnist: trains a 784-256-128-10 network (ReLU, batch norm, dropout, softmax; AdamW warmed up over 30% of the epochs, then
        cosine decay; --hidden changes the widths) on Fashion-MNIST.

        Usage: dotnet run --project samples/FashionMnist -c Release -- [options]

          --data DIR            folder with train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz),
                                t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz) (default: {DefaultDirectory},
                                from the Debian package dataset-fashion-mnist)
          --out DIR             where to write fashion-mnist.nnm and the curves (default: out)
          --epochs N            training epochs (default: 20)
          --batch-size N        mini-batch size (default: 256)
          --dropout R           dropout rate after each hidden layer (default: 0.2; 0 turns it off)
          --learning-rate R     peak Adam step size, decayed to 0 by a cosine (default: 0.008)
          --warmup E            epochs of linear warm-up to the peak rate (default: 30% of --epochs)
          --label-smoothing E   label smoothing of the cross-entropy (default: 0)
          --hidden W1,W2,...    widths of the hidden layers (default: 256,128)
          --input-dropout R     dropout rate on the input pixels (default: 0)
          --weight-decay L      decoupled weight decay of Adam (AdamW), applied as w *= 1 - lr*L (default: 0.1)
          --one-cycle 0|1       1 uses OneCycleSchedule (PyTorch's OneCycleLR: cosine rise from rate/25 over the
                                warm-up, cosine fall to rate/25/10^4) instead of the linear warm-up and cosine (default: 0)
          --batch-norm 0|1      1 adds batch normalisation after each hidden layer (default: 1)
          --standardize 0|1     1 scales each pixel to mean 0, variance 1 (fitted on the training images) (default: 1)
          --train-samples N     use only the first N training images (default: all 60,000)
          --seed S              seed of the weights and the shuffles (default: 42)
          -h, --help            this text
        """);
    return 0;
}

string dataDir = options.GetValueOrDefault("data") ?? DefaultDirectory;
string outDir = options.GetValueOrDefault("out") ?? "out";
int epochs = SampleSupport.Int(options, "epochs", 20);
int batchSize = SampleSupport.Int(options, "batch-size", 256);
double dropout = SampleSupport.Double(options, "dropout", 0.2);
double learningRate = SampleSupport.Double(options, "learning-rate", 0.008);
double warmup = SampleSupport.Double(options, "warmup", 0.3 * epochs);
double labelSmoothing = SampleSupport.Double(options, "label-smoothing", 0);
double inputDropout = SampleSupport.Double(options, "input-dropout", 0);
double weightDecay = SampleSupport.Double(options, "weight-decay", 0.1);
int[] hidden;
try
{
    hidden = (options.GetValueOrDefault("hidden") ?? "256,128").Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray();
}
catch (FormatException)
{
    Console.Error.WriteLine($"--hidden takes layer widths separated by commas, such as 256,128; got '{options["hidden"]}'.");
    return 2;
}

int? trainSamples = options.ContainsKey("train-samples") ? SampleSupport.Int(options, "train-samples", 60000) : null;
long seed = SampleSupport.Int(options, "seed", 42);

var clock = Stopwatch.StartNew();
if (SampleSupport.LoadFashionMnist(dataDir, trainSamples) is not { } loaded)
{
    return 3;
}

(Dataset<float> train, Dataset<float> test) = loaded;
Directory.CreateDirectory(outDir);
StandardScaler? scaler = null;
if (SampleSupport.Int(options, "standardize", 1) != 0)
{
    // Each pixel to mean 0, variance 1: reaches a given accuracy in fewer epochs than pixels / 255 alone (docs).
    scaler = new StandardScaler();
    train = new Dataset<float>(scaler.FitTransform(train.Features), train.Targets);
    test = new Dataset<float>(scaler.Transform(test.Features), test.Targets);
}

AnsiConsole.MarkupLine($"Loaded {train.Count:N0} training and {test.Count:N0} test images of {train.FeatureCount} pixels in {clock.Elapsed.TotalSeconds:F1} s (pixels scaled to [[0, 1]]).");

bool batchNorm = SampleSupport.Int(options, "batch-norm", 1) != 0;
var builder = new NetworkBuilder<float>(784).WithSeed(seed);
if (inputDropout > 0)
{
    builder.AddDropout(inputDropout);
}

foreach (int units in hidden)
{
    builder.AddDense(units, Activation.ReLU);
    if (batchNorm)
    {
        builder.AddBatchNorm();
    }

    builder.AddDropout(dropout);
}

Network<float> network = builder.AddDense(10, Activation.Softmax).Build();
AnsiConsole.WriteLine(network.Summary());
var trainer = new Trainer<float>(new TrainerOptions
{
    Epochs = epochs,
    BatchSize = batchSize,
    Seed = seed,
    Optimizer = new Adam(learningRate, weightDecay: weightDecay),
    Schedule = SampleSupport.Int(options, "one-cycle", 0) != 0
        ? new OneCycleSchedule(epochs, (train.Count + batchSize - 1) / batchSize, pctStart: warmup / epochs)
        : new CosineSchedule(epochs, warmup),
    Loss = labelSmoothing > 0 ? Loss.SparseCategoricalCrossEntropyWithLabelSmoothing(labelSmoothing) : Loss.SparseCategoricalCrossEntropy,
});

// Each epoch reports the training loss (free: the mean of the batch losses) and the test accuracy, computed in the
// callback on the 10,000 test images. Training time excludes that evaluation, as scikit-learn's fit time does; a
// training-set metric would cost one more inference pass over 60,000 images per epoch.
var table = new Table().Border(TableBorder.Simple).AddColumns("epoch", "time (s)", "train loss", "test acc");
foreach (TableColumn column in table.Columns)
{
    column.RightAligned();
}

TrainingHistory history = null!;
TimeSpan evaluation = TimeSpan.Zero;
var testAccuracies = new List<double>();
double TestAccuracy()
{
    long started = Stopwatch.GetTimestamp();
    int[] predicted = network.PredictClasses(test.Features);
    int correct = 0;
    for (int i = 0; i < predicted.Length; i++)
    {
        correct += predicted[i] == (int)test.Targets[i, 0] ? 1 : 0;
    }

    evaluation += Stopwatch.GetElapsedTime(started);
    testAccuracies.Add((double)correct / predicted.Length);
    return testAccuracies[^1];
}

var fitClock = Stopwatch.StartNew();
if (Console.IsOutputRedirected)
{
    // Plain lines when the output goes to a file or a pipe (a live table would be re-printed every epoch).
    Console.WriteLine("epoch   time (s)   train loss   test acc");
    history = trainer.Fit(network, train, onEpoch: r =>
        Console.WriteLine($"{r.Epoch,2}/{epochs,-2}  {r.Elapsed.TotalSeconds,8:F1}   {r.Loss,10:F4}   {TestAccuracy(),8:F4}"));
}
else
{
    AnsiConsole.Live(table).Start(ctx =>
    {
        history = trainer.Fit(network, train, onEpoch: r =>
        {
            table.AddRow($"{r.Epoch}/{epochs}", $"{r.Elapsed.TotalSeconds:F1}", $"{r.Loss:F4}", $"{TestAccuracy():F4}");
            ctx.Refresh();
        });
    });
}

fitClock.Stop();
Matrix<float> predictions = network.Predict(test.Features);
ConfusionMatrix confusion = ConfusionMatrix.Compute(predictions, test.Targets);
SampleSupport.PrintConfusion(confusion, classNames);
double trainingSeconds = (fitClock.Elapsed - evaluation).TotalSeconds;
AnsiConsole.MarkupLine($"Test accuracy: [bold]{confusion.Accuracy:F4}[/] after {history.Epochs.Count} epochs ({trainingSeconds:F1} s of training, {trainingSeconds / history.Epochs.Count:F2} s per epoch; the per-epoch test evaluation took {evaluation.TotalSeconds:F1} s more).");

string modelPath = Path.Combine(outDir, "fashion-mnist.nnm");
ModelFile.Save(modelPath, network, new ModelSaveOptions
{
    Labels = new LabelMap(classNames),
    Scaler = scaler,
    Metadata = new Dictionary<string, string> { ["dataset"] = "Fashion-MNIST", ["preprocessing"] = scaler is null ? "pixels / 255" : "pixels / 255, then the saved standard scaler" },
    TrainingSummary = new Dictionary<string, double> { ["epochs"] = history.Epochs.Count, ["final_loss"] = history.Loss[^1], ["test_accuracy"] = confusion.Accuracy, ["training_seconds"] = trainingSeconds },
});
var (lossPng, accuracyPng) = SampleSupport.SaveCurves(history, outDir, "fashion-mnist", testAccuracies);
string confusionPng = SampleSupport.SaveConfusionHeatmap(confusion, classNames, outDir, "fashion-mnist");
AnsiConsole.MarkupLine($"Saved {Markup.Escape(modelPath)}, {Markup.Escape(lossPng)}, {Markup.Escape(accuracyPng)}, {Markup.Escape(confusionPng)}. Total time {clock.Elapsed.TotalSeconds:F1} s.");
return 0;
