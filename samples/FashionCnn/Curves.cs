using NeuralNet.Training;
using ScottPlot;

namespace NeuralNet.Samples;

/// <summary>The loss curves (training and test) and the test-accuracy curve, as two PNGs.</summary>
internal static class Curves
{
    public static (string Loss, string Accuracy) Save(TrainingHistory history, IReadOnlyList<double> testLoss, IReadOnlyList<double> testAccuracy, string directory, string prefix)
    {
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();

        var loss = new Plot();
        loss.Add.Scatter(epochs, history.Loss).LegendText = "training loss (mean over the epoch's batches, dropout on)";
        loss.Add.Scatter(epochs, testLoss.ToArray()).LegendText = "test loss";
        loss.Title($"{prefix}: loss per epoch");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");
        loss.ShowLegend();
        string lossPath = Path.Combine(directory, $"{prefix}-loss.png");
        loss.SavePng(lossPath, 800, 500);

        var accuracy = new Plot();
        accuracy.Add.Scatter(epochs, testAccuracy.ToArray()).LegendText = "test accuracy";
        accuracy.Add.HorizontalLine(0.92, pattern: LinePattern.Dashed).LegendText = "0.92";
        accuracy.Title($"{prefix}: test accuracy per epoch");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy");
        accuracy.ShowLegend();
        string accuracyPath = Path.Combine(directory, $"{prefix}-accuracy.png");
        accuracy.SavePng(accuracyPath, 800, 500);
        return (lossPath, accuracyPath);
    }
}
