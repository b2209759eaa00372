using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>Element-wise comparison: <c>|actual - expected| ≤ tolerance · max(|expected|, 1)</c>, relative for values of
/// magnitude 1 or more and absolute below (where a relative bound would only measure the cancellation in a sum).</summary>
public static class Tolerance
{
    /// <summary>1e-5 for float, 1e-12 for double: the bounds the exporter promises against ONNX Runtime.</summary>
    public static double For<T>() => typeof(T) == typeof(float) ? 1e-5 : 1e-12;

    /// <summary>The largest scaled error; fails with its position when it exceeds <paramref name="tolerance"/>.</summary>
    public static double AssertClose<T>(Matrix<T> actual, Matrix<T> expected, double tolerance, string because = "")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        double worst = 0;
        for (int r = 0; r < expected.RowCount; r++)
        {
            for (int c = 0; c < expected.ColumnCount; c++)
            {
                double e = double.CreateTruncating(expected[r, c]), a = double.CreateTruncating(actual[r, c]);
                double error = Math.Abs(a - e) / Math.Max(Math.Abs(e), 1);
                double.IsFinite(a).Should().Be(double.IsFinite(e), $"[{r}, {c}]: {a} vs {e} {because}");
                error.Should().BeLessThanOrEqualTo(tolerance, $"[{r}, {c}]: ONNX gives {a:R}, expected {e:R} {because}");
                worst = Math.Max(worst, error);
            }
        }

        return worst;
    }
}
