namespace NeuralNet.Distributed;

/// <summary>One worker's share of a run (or of an epoch).</summary>
/// <param name="Silo">The name of the silo it ran on.</param>
/// <param name="Steps">Steps it computed.</param>
/// <param name="Rows">Training rows it computed gradients on.</param>
/// <param name="ComputeSeconds">Seconds in forward and backward passes.</param>
/// <param name="WallSeconds">Seconds from the start of its steps to their end, including waiting for the barrier.</param>
/// <param name="Bytes">Payload bytes it pushed and pulled.</param>
/// <param name="Failed">Whether it was lost during the run.</param>
public sealed record WorkerStatistics(string Silo, long Steps, long Rows, double ComputeSeconds, double WallSeconds, long Bytes, bool Failed)
{
    /// <summary>Rows per second of wall time.</summary>
    public double RowsPerSecond => WallSeconds > 0 ? Rows / WallSeconds : 0;
}
