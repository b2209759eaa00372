using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Metrics;

/// <summary>
/// A figure of merit computed from predictions <c>[rows x outputs]</c> and targets. Classification metrics read a class
/// per row: the arg-max of a multi-column output (the 0.5 threshold of a single output), and the arg-max of one-hot
/// targets or the value of a single target column (a class index). Implementations are stateless.
/// </summary>
public interface IMetric
{
    /// <summary>Name used in reports and <see cref="Training.EarlyStoppingOptions.Monitor"/>, e.g. <c>accuracy</c>.</summary>
    string Name { get; }

    /// <summary>Whether larger values are better (accuracy) or worse (errors).</summary>
    bool HigherIsBetter { get; }

    /// <summary>Computes the metric.</summary>
    /// <param name="prediction">Network outputs, one row per sample.</param>
    /// <param name="target">Targets, one row per sample.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Row counts differ, or the shapes do not suit the metric.</exception>
    double Compute<T>(Matrix<T> prediction, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>;
}
