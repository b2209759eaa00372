using System.Text;

namespace NeuralNet.Training;

/// <summary>The outcome of <see cref="Trainer{T}.Evaluate(Network{T}, MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T})"/>.</summary>
/// <param name="Loss">Mean loss of the data in inference mode (no L2 penalty).</param>
/// <param name="Metrics">Each of <see cref="TrainerOptions.Metrics"/> by name.</param>
public sealed record EvaluationResult(double Loss, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The values, e.g. <c>loss 0.1234, accuracy 0.9667</c> (4 significant digits, invariant culture).</summary>
    public override string ToString()
    {
        var text = new StringBuilder("loss ").Append(ReportFormat.Number(Loss));
        ReportFormat.AppendMetrics(text, Metrics);
        return text.ToString();
    }
}
