using NeuralNet;
using ScottPlot;

/// <summary>Draws what the XOR network learned: p(1) over the unit square, with the four training points.</summary>
internal static class XorPlot
{
    public static string SaveDecisionBoundary(Network<double> network, string path)
    {
        const int n = 101;
        var p = new double[n, n];
        Span<double> output = stackalloc double[1];
        for (int row = 0; row < n; row++)
        {
            for (int col = 0; col < n; col++)
            {
                // Heatmap rows run top to bottom, so row 0 is x2 = 1.
                network.Predict([col / (n - 1.0), 1 - row / (n - 1.0)], output);
                p[row, col] = output[0];
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(p);
        heatmap.Extent = new CoordinateRect(-0.005, 1.005, -0.005, 1.005);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = "p(1)";
        foreach ((double x1, double x2, bool one) in new[] { (0.0, 0.0, false), (0.0, 1.0, true), (1.0, 0.0, true), (1.0, 1.0, false) })
        {
            var marker = plot.Add.Marker(x1, x2, one ? MarkerShape.FilledCircle : MarkerShape.FilledSquare, 14);
            marker.Color = one ? Colors.Red : Colors.Black;
        }

        plot.Title("XOR: what a 2-2-1 network learned");
        plot.XLabel("x1");
        plot.YLabel("x2");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 640, 540);
        return path;
    }
}
