using MathNet.Numerics.LinearAlgebra;
using ScottPlot;

namespace NeuralNet.Samples;

/// <summary>Draws the first misclassified test images in a grid, each titled "actual → predicted".</summary>
internal static class MisclassifiedGrid
{
    public static string Save(Matrix<float> images, Matrix<float> labels, Matrix<float> predictions, IReadOnlyList<string> names,
        string directory, string prefix, int rows = 4, int columns = 6, int side = 28)
    {
        var plot = new Plot();
        int shown = 0;
        for (int i = 0; i < images.RowCount && shown < rows * columns; i++)
        {
            int actual = (int)labels[i, 0];
            int predicted = ArgMax(predictions, i);
            if (predicted == actual)
            {
                continue;
            }

            // Row i holds the image row-major; heat-map row 0 is drawn at the top.
            var pixels = new double[side, side];
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    pixels[y, x] = images[i, y * side + x];
                }
            }

            int gridRow = shown / columns, gridColumn = shown % columns;
            double left = gridColumn * 1.15, top = -gridRow * 1.3;
            var heatmap = plot.Add.Heatmap(pixels);
            heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            heatmap.Extent = new CoordinateRect(left, left + 1, top - 1, top);
            var text = plot.Add.Text($"{names[actual]} → {names[predicted]}", left + 0.5, top + 0.02);
            text.LabelAlignment = Alignment.LowerCenter;
            text.LabelFontSize = 11;
            shown++;
        }

        plot.Title($"{prefix}: misclassified test images (actual → predicted)");
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SetLimits(-0.1, columns * 1.15, -rows * 1.3 + 0.2, 0.35);
        string path = Path.Combine(directory, $"{prefix}-misclassified.png");
        plot.SavePng(path, 160 * columns, 190 * rows + 40);
        return path;
    }

    private static int ArgMax(Matrix<float> predictions, int row)
    {
        int best = 0;
        for (int j = 1; j < predictions.ColumnCount; j++)
        {
            if (predictions[row, j] > predictions[row, best])
            {
                best = j;
            }
        }

        return best;
    }
}
