using System.Numerics.Tensors;
using NeuralNet.Activations;

namespace NeuralNet.Tests.Activations;

public class ActivationTests
{
    private static double Forward(IActivation f, double z)
    {
        Span<double> a = stackalloc double[1];
        f.Forward<double>([z], a, 1);
        return a[0];
    }

    private static double Derivative(IActivation f, double z)
    {
        Span<double> a = stackalloc double[1];
        Span<double> dz = stackalloc double[1];
        f.Forward<double>([z], a, 1);
        f.Backward<double>([z], a, [1.0], dz, 1);
        return dz[0];
    }

    // Each row: name, z, f(z), f'(z), worked by hand.
    [Theory]
    [InlineData("identity", -2.5, -2.5, 1.0)]
    [InlineData("step", 0.0, 1.0, 0.0)]            // H(0) = 1 by convention
    [InlineData("step", -0.1, 0.0, 0.0)]
    [InlineData("sigmoid", 0.0, 0.5, 0.25)]        // s(0) = 1/2, s(1-s) = 1/4
    [InlineData("sigmoid", 2.0, 0.8807970779778823, 0.10499358540350662)] // 1/(1+e^-2); 0.880797*(1-0.880797)
    [InlineData("tanh", 0.5, 0.46211715726000974, 0.7864477329659274)]    // 1 - tanh(0.5)^2
    [InlineData("relu", 3.0, 3.0, 1.0)]
    [InlineData("relu", -3.0, 0.0, 0.0)]
    [InlineData("leaky_relu(alpha=0.1)", -2.0, -0.2, 0.1)]
    [InlineData("leaky_relu(alpha=0.1)", 2.0, 2.0, 1.0)]
    [InlineData("elu(alpha=1)", -1.0, -0.6321205588285577, 0.36787944117144233)] // e^-1 - 1; f + alpha = e^-1
    [InlineData("elu(alpha=1)", 1.5, 1.5, 1.0)]
    [InlineData("selu", 1.0, 1.0507009873554805, 1.0507009873554805)]          // lambda * 1
    [InlineData("selu", -1.0, -1.1113307378125625, 0.646768603034814)]         // lambda alpha (e^-1 - 1); lambda alpha e^-1
    [InlineData("gelu", 0.0, 0.0, 0.5)]                                          // 0/2 (1 + tanh 0); (1 + 0)/2
    [InlineData("gelu", 1.0, 0.8411919906082768, 1.0829640838457826)]          // tanh form at 1
    [InlineData("gelu_exact", 0.0, 0.0, 0.5)]                                    // 0 Φ(0); Φ(0) + 0 φ(0) = 1/2
    [InlineData("gelu_exact", 1.0, 0.8413447460685429, 1.0833154705876864)]    // Φ(1) = (1 + erf(1/√2))/2; Φ(1) + φ(1), φ(1) = e^-0.5/√(2π) = 0.24197072451914337
    [InlineData("gelu_exact", -1.0, -0.15865525393145707, -0.08331547058768630)] // -Φ(-1) = -(1 - Φ(1)); Φ(-1) - φ(1)
    [InlineData("gelu_exact", 3.0, 2.9959503059051097, 1.011945647204184)]   // 3 Φ(3), Φ(3) = 0.9986501019683699; Φ(3) + 3 φ(3), φ(3) = 0.0044318484119380075
    [InlineData("silu", 0.0, 0.0, 0.5)]                                          // 0 * 1/2; s(0)(1 + 0) = 1/2
    [InlineData("silu", 1.0, 0.7310585786300049, 0.9276705118714869)]          // s(1); s(1)(1 + 1 - s(1))
    [InlineData("softplus", 0.0, 0.6931471805599453, 0.5)]                       // ln 2; s(0)
    [InlineData("softplus", 50.0, 50.0, 1.0)]                                     // 50 + ln(1 + e^-50) = 50 in double
    public void ForwardAndBackward_KnownValues_MatchHandComputation(string name, double z, double expected, double expectedDerivative)
    {
        IActivation f = Activation.FromName(name);
        Forward(f, z).Should().BeApproximately(expected, 1e-12);
        Derivative(f, z).Should().BeApproximately(expectedDerivative, 1e-12);
    }

    [Fact]
    public void Softmax_TwoRows_NormalisesEachRowAndSurvivesHugeLogits()
    {
        // Rows [0, ln 3] -> [1/4, 3/4] and [1000, 1000] -> [1/2, 1/2] (e^1000 would overflow without the max shift).
        // Column-major storage of [[0, ln 3], [1000, 1000]] is [0, 1000, ln3, 1000].
        double[] z = [0, 1000, Math.Log(3), 1000];
        double[] a = new double[4];
        Activation.Softmax.Forward<double>(z, a, batchSize: 2);
        a.Should().Equal([0.25, 0.5, 0.75, 0.5], (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Softmax_OneRow_SameBitsAsTheBatchPathOnOneRow()
    {
        // A batch of one takes its own scalar loop. The batch path on one row made one TensorPrimitives call per
        // element (max, subtract, exp, add, divide on one-element spans); each row must come out bit for bit as those
        // calls give it, NaN, infinities and signed zeros included.
        var random = new Random(12);
        float[][] special = [[float.NaN, 1f, 2f], [float.PositiveInfinity, 0f, -1f], [float.NegativeInfinity, -0f, 0f], [88f, 89f, -104f], [-0f, -0f, 0f]];
        for (int trial = 0; trial < 400; trial++)
        {
            float[] row = trial < special.Length ? special[trial] : new float[1 + random.Next(12)];
            for (int j = 0; trial >= special.Length && j < row.Length; j++)
            {
                row[j] = (float)((random.NextDouble() - 0.5) * (trial % 2 == 0 ? 20 : 300));
            }

            SameBitsAsOneElementCalls(row);
            SameBitsAsOneElementCalls(Array.ConvertAll(row, v => (double)v));
        }
    }

    private static void SameBitsAsOneElementCalls<T>(T[] z) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int units = z.Length;
        T[] max = [z[0]], sum = [T.Zero], expected = new T[units];
        for (int j = 1; j < units; j++)
        {
            TensorPrimitives.Max(z.AsSpan(j, 1), max, max);
        }

        for (int j = 0; j < units; j++)
        {
            Span<T> e = expected.AsSpan(j, 1);
            TensorPrimitives.Subtract(z.AsSpan(j, 1), max, e);
            TensorPrimitives.Exp(e, e);
            TensorPrimitives.Add(sum, e, sum);
        }

        for (int j = 0; j < units; j++)
        {
            TensorPrimitives.Divide(expected.AsSpan(j, 1), sum, expected.AsSpan(j, 1));
        }

        var one = new T[units];
        Activation.Softmax.Forward<T>(z, one, 1);
        for (int j = 0; j < units; j++)
        {
            bool same = T.IsNaN(expected[j]) ? T.IsNaN(one[j]) : one[j].Equals(expected[j]) && T.IsNegative(one[j]) == T.IsNegative(expected[j]);
            same.Should().BeTrue("unit {0} of {1}: {2} against {3} ({4})", j, units, one[j], expected[j], typeof(T).Name);
        }
    }

    [Fact]
    public void Softmax_Backward_IsTheVectorJacobianProduct()
    {
        // a = [1/4, 3/4], g = [1, 0]: dz_j = a_j (g_j - sum_k g_k a_k) = [1/4 (1 - 1/4), 3/4 (0 - 1/4)] = [3/16, -3/16].
        double[] z = [0, Math.Log(3)];
        double[] a = new double[2];
        double[] dz = new double[2];
        Activation.Softmax.Forward<double>(z, a, 1);
        Activation.Softmax.Backward<double>(z, a, [1.0, 0.0], dz, 1);
        dz[0].Should().BeApproximately(3.0 / 16, 1e-12);
        dz[1].Should().BeApproximately(-3.0 / 16, 1e-12);
    }

    [Fact]
    public void FloatAndDouble_AgreeToFloatPrecision()
    {
        foreach (string name in Activation.KnownNames)
        {
            IActivation f = Activation.FromName(name);
            double[] zd = [-2.0, -0.5, 0.25, 1.5];
            float[] zf = [-2.0f, -0.5f, 0.25f, 1.5f];
            double[] ad = new double[4];
            float[] af = new float[4];
            f.Forward<double>(zd, ad, 4);
            f.Forward<float>(zf, af, 4);
            for (int i = 0; i < 4; i++)
            {
                ((double)af[i]).Should().BeApproximately(ad[i], 1e-5, $"{name} at {zd[i]}");
            }
        }
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("leaky_relu(alpha=0.25)")]
    [InlineData("elu(alpha=0.5)")]
    [InlineData("softmax")]
    public void FromName_NameOfResult_RoundTrips(string name)
    {
        IActivation f = Activation.FromName(name);
        Activation.FromName(f.Name).Name.Should().Be(f.Name);
    }

    [Fact]
    public void FromName_Unknown_ListsKnownNames()
    {
        Action act = () => Activation.FromName("sigmoidal");
        act.Should().Throw<ArgumentException>().WithParameterName("name").WithMessage("*sigmoidal*relu*softmax*");
    }

    [Fact]
    public void FromName_Null_Throws()
    {
        Action act = () => Activation.FromName(null!);
        act.Should().Throw<ArgumentNullException>().WithParameterName("name");
    }

    [Fact]
    public void LeakyReLU_NegativeAlpha_ThrowsWithValue()
    {
        Action act = () => Activation.LeakyReLU(-1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha").WithMessage("*alpha=-1*");
    }

    [Fact]
    public void Register_CustomActivation_IsFoundByName()
    {
        Activation.Register("cube_test", () => new Cube());
        Activation.FromName("cube_test").Should().BeOfType<Cube>();
    }

    private sealed class Cube : IActivation
    {
        public string Name => "cube_test";

        public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = input[i] * input[i] * input[i];
            }
        }

        public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            for (int i = 0; i < input.Length; i++)
            {
                inputGradient[i] = outputGradient[i] * T.CreateTruncating(3) * input[i] * input[i];
            }
        }
    }
}
