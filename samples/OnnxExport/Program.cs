// ONNX export: takes the digits network (out/digits.nnm from samples/Digits, or trains one here when that file is
// missing), exports it with its scaler in front and an ArgMax output, then runs the .onnx file in ONNX Runtime and in an
// ML.NET pipeline (ApplyOnnxModel) on the raw test pixels and prints the three predictions side by side. It also reads
// the file back with OnnxImporter and checks that the round trip predicts bit-identically.
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Samples;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Spectre.Console;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Dictionary<string, string> options;
try
{
    options = SampleSupport.ParseArgs(args, ["model", "data", "out", "opset", "show"]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ContainsKey("help"))
{
    Console.WriteLine("""
        OnnxExport: exports the digits network to ONNX and runs it in ONNX Runtime and ML.NET.

        Usage: dotnet run --project samples/OnnxExport -c Release -- [options]

          --model FILE     model file to export (default: out/digits.nnm; trained here when missing)
          --data FILE      digits CSV (default: data/digits.csv.gz next to the program)
          --out DIR        where to write digits.onnx (default: out)
          --opset N        ONNX operator set, 13 to 21 (default: 17)
          --show N         test samples to print (default: 12)
          -h, --help       this text
        """);
    return 0;
}

string outDir = options.GetValueOrDefault("out") ?? "out";
string modelPath = options.GetValueOrDefault("model") ?? Path.Combine(outDir, "digits.nnm");
string dataPath = options.GetValueOrDefault("data") ?? Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
int opset = SampleSupport.Int(options, "opset", OnnxExporter.DefaultOpset);
int show = SampleSupport.Int(options, "show", 12);
Directory.CreateDirectory(outDir);

// 1. The data, split as samples/Digits splits it (seed 42), and the model.
CsvTable<float> table = CsvLoader.Load<float>(dataPath, new CsvOptions { HasHeader = false });
LabelMap labels = LabelMap.Fit(table.Labels);
var (train, test) = table.ToClassificationDataset(labels).Split(testFraction: 0.2, 42);
SavedModel<float> model = File.Exists(modelPath) ? ModelFile.Load<float>(modelPath) : TrainDigits(train, labels, modelPath);
AnsiConsole.MarkupLine($"Model [bold]{Markup.Escape(modelPath)}[/]: {model.Network.Layers.Count} layers, {model.Network.ParameterCount:N0} parameters, scaler {model.Scaler?.Kind ?? "none"}.");

// 2. Export: scaler in front (the graph takes raw pixels), softmax probabilities and the ArgMax class index out.
string onnxPath = Path.Combine(outDir, "digits.onnx");
OnnxExporter.Save(onnxPath, model, new OnnxExportOptions { Opset = opset, IncludeArgMax = true });
AnsiConsole.MarkupLine($"Exported [bold]{Markup.Escape(onnxPath)}[/] ({new FileInfo(onnxPath).Length:N0} bytes, opset {opset}).");

Matrix<float> raw = test.Features;
int rows = raw.RowCount, features = raw.ColumnCount;
Matrix<float> expected = model.Network.Predict(model.Scaler is null ? raw : model.Scaler.Transform(raw));

// 3. ONNX Runtime on the whole test set in one batch.
float[] ortProbabilities;
long[] ortClasses;
using (var session = new InferenceSession(onnxPath))
{
    var input = new DenseTensor<float>(raw.ToRowMajorArray(), [rows, features]);
    using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
    ortProbabilities = results.First(r => r.Name == "output").AsTensor<float>().ToArray();
    ortClasses = results.First(r => r.Name == "class_index").AsTensor<long>().ToArray();
}

// 4. ML.NET: ApplyOnnxModel in a pipeline over rows of 64 raw pixels.
var ml = new MLContext(seed: 0);
IDataView rowsView = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(r => new DigitRow { Input = raw.Row(r).ToArray() }));
var pipeline = ml.Transforms.ApplyOnnxModel(outputColumnNames: ["output", "class_index"], inputColumnNames: ["input"], modelFile: onnxPath);
using var transformer = pipeline.Fit(rowsView);
DigitPrediction[] mlnet = ml.Data.CreateEnumerable<DigitPrediction>(transformer.Transform(rowsView), reuseRowObject: false).ToArray();

// 5. The round trip through the importer.
OnnxModel<float> imported = OnnxImporter.Load<float>(onnxPath);
Matrix<float> reimported = imported.Network.Predict(imported.Scaler!.Transform(raw));
bool roundTripIdentical = SampleSupport.BitIdentical(reimported, expected);

// 6. Side by side.
var grid = new Table().Border(TableBorder.Rounded).Title("test samples: predicted digit (probability)");
grid.AddColumns("#", "true", "NeuralNet", "ONNX Runtime", "ML.NET");
double worstOrt = 0, worstMlNet = 0;
int agreeOrt = 0, agreeMlNet = 0, correct = 0;
for (int r = 0; r < rows; r++)
{
    int mine = expected.Row(r).MaximumIndex();
    int truth = (int)test.Targets[r, 0];
    correct += mine == truth ? 1 : 0;
    agreeOrt += ortClasses[r] == mine ? 1 : 0;
    agreeMlNet += mlnet[r].ClassIndex[0] == mine ? 1 : 0;
    for (int c = 0; c < expected.ColumnCount; c++)
    {
        worstOrt = Math.Max(worstOrt, Math.Abs(ortProbabilities[r * expected.ColumnCount + c] - expected[r, c]));
        worstMlNet = Math.Max(worstMlNet, Math.Abs(mlnet[r].Output[c] - expected[r, c]));
    }

    if (r < show)
    {
        grid.AddRow(
            r.ToString(CultureInfo.InvariantCulture),
            labels.NameOf(truth),
            $"{labels.NameOf(mine)} ({expected[r, mine]:F4})",
            $"{labels.NameOf((int)ortClasses[r])} ({ortProbabilities[r * expected.ColumnCount + (int)ortClasses[r]]:F4})",
            $"{labels.NameOf((int)mlnet[r].ClassIndex[0])} ({mlnet[r].Output[(int)mlnet[r].ClassIndex[0]]:F4})");
    }
}

AnsiConsole.Write(grid);
AnsiConsole.MarkupLine($"{rows} test samples: NeuralNet accuracy {(double)correct / rows:F4}; ONNX Runtime agrees on {agreeOrt}, ML.NET on {agreeMlNet}.");
AnsiConsole.MarkupLine($"Largest probability difference from Predict: ONNX Runtime {worstOrt:E2}, ML.NET {worstMlNet:E2}.");
AnsiConsole.MarkupLine($"Imported back with OnnxImporter: predictions bit-identical {(roundTripIdentical ? "[green]yes[/]" : "[red]NO[/]")}.");
return agreeOrt == rows && agreeMlNet == rows && worstOrt <= 1e-5 && worstMlNet <= 1e-5 && roundTripIdentical ? 0 : 1;

// Trains the digits network as samples/Digits does (64-64-10, Adam, 40 epochs) and saves it to modelPath.
static SavedModel<float> TrainDigits(Dataset<float> train, LabelMap labels, string modelPath)
{
    AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(modelPath)} not found[/]: training the digits network here.");
    var scaler = new MinMaxScaler();
    Matrix<float> x = scaler.FitTransform(train.Features);
    Network<float> network = new NetworkBuilder<float>(train.FeatureCount).WithSeed(42)
        .AddDense(64, Activation.ReLU)
        .AddDense(labels.Count, Activation.Softmax)
        .Build();
    new Trainer<float>(new TrainerOptions
    {
        Epochs = 40,
        BatchSize = 32,
        Seed = 42,
        Optimizer = new Adam(0.002),
        Loss = Loss.SparseCategoricalCrossEntropy,
    }).Fit(network, x, train.Targets);
    ModelFile.Save(modelPath, network, new ModelSaveOptions { Scaler = scaler, Labels = labels });
    return ModelFile.Load<float>(modelPath);
}

/// <summary>One row of the ML.NET input: 64 raw pixel intensities in the ONNX graph's input column.</summary>
internal sealed class DigitRow
{
    [ColumnName("input")]
    [VectorType(64)]
    public float[] Input { get; set; } = [];
}

/// <summary>The ONNX transformer's outputs for one row.</summary>
internal sealed class DigitPrediction
{
    [ColumnName("output")]
    public float[] Output { get; set; } = [];

    [ColumnName("class_index")]
    public long[] ClassIndex { get; set; } = [];
}
