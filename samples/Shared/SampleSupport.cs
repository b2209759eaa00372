using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Metrics;
using NeuralNet.Training;
using ScottPlot;
using Spectre.Console;

namespace NeuralNet.Samples;

/// <summary>Console and plotting helpers shared by the samples (linked into each sample project).</summary>
internal static class SampleSupport
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the four Fashion-MNIST IDX files.</summary>
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The ten Fashion-MNIST classes, in label order.</summary>
    public static readonly string[] FashionMnistClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads Fashion-MNIST's training set (its first <paramref name="trainSamples"/> images, or all) and test set from
    /// <paramref name="directory"/> (gzipped or not), pixels scaled by 1/255; or, when a file is missing, prints how to
    /// get them and returns null.
    /// </summary>
    public static (Dataset<float> Train, Dataset<float> Test)? LoadFashionMnist(string directory, int? trainSamples)
    {
        string? Find(string name) =>
            new[] { name + ".gz", name }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);

        string? trainImages = Find("train-images-idx3-ubyte"), trainLabels = Find("train-labels-idx1-ubyte");
        string? testImages = Find("t10k-images-idx3-ubyte"), testLabels = Find("t10k-labels-idx1-ubyte");
        if (trainImages is null || trainLabels is null || testImages is null || testLabels is null)
        {
            Console.Error.WriteLine($"""
                Fashion-MNIST was not found in {directory}.
                On Debian or Ubuntu install it with:

                    sudo apt-get install dataset-fashion-mnist

                or download the four IDX files from https://github.com/zalandoresearch/fashion-mnist and pass --data DIR.
                """);
            return null;
        }

        return (IdxFile.LoadDataset<float>(trainImages, trainLabels, scale: 1.0 / 255, maxSamples: trainSamples),
            IdxFile.LoadDataset<float>(testImages, testLabels, scale: 1.0 / 255));
    }

    /// <summary>Reads <c>--name value</c> pairs and <c>--flag</c>s; unknown options are an error.</summary>
    public static Dictionary<string, string> ParseArgs(string[] args, IReadOnlyCollection<string> known)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a is "-h" or "--help")
            {
                result["help"] = "";
                continue;
            }

            if (!a.StartsWith("--", StringComparison.Ordinal) || !known.Contains(a[2..]))
            {
                throw new ArgumentException($"unknown option '{a}'; run with --help.");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option '{a}' needs a value.");
            }

            result[a[2..]] = args[++i];
        }

        return result;
    }

    public static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public static double Double(Dictionary<string, string> options, string name, double fallback) =>
        options.TryGetValue(name, out string? v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A synchronous <see cref="IProgress{T}"/> (the BCL's Progress&lt;T&gt; posts to the thread pool).</summary>
    public sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }

    /// <summary>Prints a confusion matrix as a table: rows are actual classes, columns predicted ones.</summary>
    public static void PrintConfusion(ConfusionMatrix matrix, IReadOnlyList<string> names)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Confusion matrix (rows: actual, columns: predicted)");
        table.AddColumn(new TableColumn("").RightAligned());
        for (int c = 0; c < names.Count; c++)
        {
            // Predicted classes by index, so wide class names do not wrap the table.
            table.AddColumn(new TableColumn(c.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        for (int a = 0; a < matrix.ClassCount; a++)
        {
            var cells = new List<string> { names[a] == a.ToString(CultureInfo.InvariantCulture) ? $"[bold]{a}[/]" : $"[bold]{a} {Markup.Escape(names[a])}[/]" };
            for (int p = 0; p < matrix.ClassCount; p++)
            {
                long c = matrix[a, p];
                cells.Add(c == 0 ? "[grey]·[/]" : a == p ? $"[green]{c}[/]" : $"[red]{c}[/]");
            }

            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Saves the loss curve and the accuracy curve of a training history as two PNGs; returns their paths.</summary>
    public static (string Loss, string Accuracy) SaveCurves(TrainingHistory history, string directory, string prefix, IReadOnlyList<double>? testAccuracy = null)
    {
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();

        var loss = new Plot();
        loss.Add.Scatter(epochs, history.Loss).LegendText = "training loss";
        if (history.Epochs.Count > 0 && history.Epochs[0].ValidationLoss is not null)
        {
            loss.Add.Scatter(epochs, history.ValidationLoss).LegendText = "test loss";
        }

        loss.Title($"{prefix}: loss per epoch");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");
        loss.ShowLegend();
        string lossPath = Path.Combine(directory, $"{prefix}-loss.png");
        loss.SavePng(lossPath, 800, 500);

        var accuracy = new Plot();
        // Metrics the trainer reported, or test accuracies the caller measured itself (one per epoch).
        bool reported = history.Epochs.Count > 0 && history.Epochs[0].Metrics.ContainsKey("accuracy");
        if (reported)
        {
            accuracy.Add.Scatter(epochs, history.Metric("accuracy")).LegendText = "training accuracy";
        }

        accuracy.Add.Scatter(epochs, testAccuracy is not null ? testAccuracy.ToArray() : history.Metric("val_accuracy")).LegendText = "test accuracy";
        accuracy.Title($"{prefix}: accuracy per epoch");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy");
        accuracy.ShowLegend();
        string accuracyPath = Path.Combine(directory, $"{prefix}-accuracy.png");
        accuracy.SavePng(accuracyPath, 800, 500);
        return (lossPath, accuracyPath);
    }

    /// <summary>Saves the confusion matrix as a heat map (rows: actual class, columns: predicted), counts in the cells.</summary>
    public static string SaveConfusionHeatmap(ConfusionMatrix matrix, IReadOnlyList<string> names, string directory, string prefix)
    {
        int k = matrix.ClassCount;
        var share = new double[k, k];
        for (int a = 0; a < k; a++)
        {
            long rowTotal = 0;
            for (int p = 0; p < k; p++)
            {
                rowTotal += matrix[a, p];
            }

            for (int p = 0; p < k; p++)
            {
                share[a, p] = rowTotal == 0 ? 0 : (double)matrix[a, p] / rowTotal;
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = "share of the actual class";
        for (int a = 0; a < k; a++)
        {
            for (int p = 0; p < k; p++)
            {
                // Data row 0 is drawn at the top, so actual class a sits at height k - 1 - a.
                var text = plot.Add.Text(matrix[a, p].ToString(CultureInfo.InvariantCulture), p, k - 1 - a);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = share[a, p] > 0.5 ? Colors.Black : Colors.White;
            }
        }

        double[] ticks = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        string[] labels = names.Take(k).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, labels);
        plot.Axes.Left.SetTicks(ticks.Select(t => k - 1 - t).ToArray(), labels);
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Title($"{prefix}: confusion matrix on the test set");
        plot.XLabel("predicted");
        plot.YLabel("actual");
        string path = Path.Combine(directory, $"{prefix}-confusion.png");
        plot.SavePng(path, 760, 680);
        return path;
    }

    /// <summary>Whether two matrices hold the same bits.</summary>
    public static bool BitIdentical(Matrix<float> a, Matrix<float> b) =>
        a.RowCount == b.RowCount && a.ColumnCount == b.ColumnCount && a.ToColumnMajorArray().AsSpan().SequenceEqual(b.ToColumnMajorArray());
}
