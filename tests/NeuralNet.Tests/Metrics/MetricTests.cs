using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Metrics;

namespace NeuralNet.Tests.Metrics;

public class MetricTests
{
    // Six rows, three classes. Predicted (arg-max) vs actual:
    // row 0: actual 0, predicted 0; row 1: actual 0, predicted 1; row 2: actual 1, predicted 1;
    // row 3: actual 1, predicted 1; row 4: actual 2, predicted 0; row 5: actual 2, predicted 2.
    private static readonly Matrix<double> Scores = Matrix<double>.Build.DenseOfArray(new double[,]
    {
        { 0.7, 0.2, 0.1 },
        { 0.3, 0.6, 0.1 },
        { 0.1, 0.8, 0.1 },
        { 0.2, 0.5, 0.3 },
        { 0.5, 0.1, 0.4 },
        { 0.1, 0.2, 0.7 },
    });

    private static readonly Matrix<double> Labels = Matrix<double>.Build.DenseOfColumnArrays(new[] { 0.0, 0, 1, 1, 2, 2 });

    [Fact]
    public void Accuracy_SixRows_CountsArgMaxHits()
    {
        // hits on rows 0, 2, 3, 5: 4/6
        Metric.Accuracy.Compute(Scores, Labels).Should().BeApproximately(4.0 / 6, 1e-15);
    }

    [Fact]
    public void Accuracy_OneHotTargets_SameAsLabels()
    {
        Matrix<double> oneHot = Matrix<double>.Build.Dense(6, 3, (i, j) => Labels[i, 0] == j ? 1 : 0);
        Metric.Accuracy.Compute(Scores, oneHot).Should().BeApproximately(4.0 / 6, 1e-15);
    }

    [Fact]
    public void TopKAccuracy_K2_CountsSecondChoices()
    {
        // Misses at k=1: row 1 (true class 0 scores 0.3, second) and row 4 (true class 2 scores 0.4, second): both hit at k=2.
        Metric.TopKAccuracy(2).Compute(Scores, Labels).Should().Be(1.0);
        Metric.TopKAccuracy(2).Name.Should().Be("top_2_accuracy");
    }

    [Fact]
    public void ConfusionMatrix_SixRows_PerClassAndMacroScores()
    {
        // counts[actual, predicted]: [[1,1,0],[0,2,0],[1,0,1]]
        // precision: class 0 = 1/2, class 1 = 2/3, class 2 = 1/1; recall: 1/2, 2/2, 1/2
        // F1: 0.5, 2*(2/3)*1/(5/3) = 0.8, 2*1*0.5/1.5 = 2/3
        ConfusionMatrix m = ConfusionMatrix.Compute(Scores, Labels);
        m[0, 0].Should().Be(1);
        m[0, 1].Should().Be(1);
        m[1, 1].Should().Be(2);
        m[2, 0].Should().Be(1);
        m[2, 2].Should().Be(1);
        m.Total.Should().Be(6);
        m.Precision(1).Should().BeApproximately(2.0 / 3, 1e-15);
        m.Recall(2).Should().Be(0.5);
        m.F1(1).Should().BeApproximately(0.8, 1e-15);
        m.MacroPrecision.Should().BeApproximately((0.5 + 2.0 / 3 + 1) / 3, 1e-15);
        m.MacroRecall.Should().BeApproximately((0.5 + 1 + 0.5) / 3, 1e-15);
        m.MacroF1.Should().BeApproximately((0.5 + 0.8 + 2.0 / 3) / 3, 1e-15);
        Metric.F1.Compute(Scores, Labels).Should().BeApproximately(m.MacroF1, 1e-15);
    }

    [Fact]
    public void Accuracy_SingleSigmoidOutput_ThresholdsAtHalf()
    {
        // predictions 0.9, 0.4, 0.5, 0.1 -> classes 1, 0, 1, 0; targets 1, 1, 1, 0 -> 3/4
        Matrix<double> p = Matrix<double>.Build.DenseOfColumnArrays(new[] { 0.9, 0.4, 0.5, 0.1 });
        Matrix<double> y = Matrix<double>.Build.DenseOfColumnArrays(new[] { 1.0, 1, 1, 0 });
        Metric.Accuracy.Compute(p, y).Should().Be(0.75);
    }

    [Fact]
    public void RegressionMetrics_HandWorked()
    {
        // y = [1, 2, 3, 4], p = [1, 3, 2, 4]: residuals [0, 1, -1, 0]
        // MSE = 2/4 = 0.5, MAE = 2/4 = 0.5, SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5, R² = 1 - 2/5 = 0.6
        Matrix<double> y = Matrix<double>.Build.DenseOfColumnArrays(new[] { 1.0, 2, 3, 4 });
        Matrix<double> p = Matrix<double>.Build.DenseOfColumnArrays(new[] { 1.0, 3, 2, 4 });
        Metric.MeanSquaredError.Compute(p, y).Should().Be(0.5);
        Metric.MeanAbsoluteError.Compute(p, y).Should().Be(0.5);
        Metric.RSquared.Compute(p, y).Should().BeApproximately(0.6, 1e-15);
    }

    [Fact]
    public void Compute_RowCountsDiffer_ThrowsNamingTarget()
    {
        FluentActions.Invoking(() => Metric.Accuracy.Compute(Scores, Matrix<double>.Build.Dense(5, 1)))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage("*6 rows*5*");
    }

    [Fact]
    public void FromName_KnownAndUnknown()
    {
        Metric.FromName("top_5_accuracy").Should().BeOfType<AccuracyMetric>().Which.K.Should().Be(5);
        Metric.FromName("R2").Should().BeSameAs(Metric.RSquared);
        FluentActions.Invoking(() => Metric.FromName("auc")).Should().Throw<ArgumentException>().WithParameterName("name");
    }
}
