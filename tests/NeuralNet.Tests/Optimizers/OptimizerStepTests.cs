using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>One or two steps of each optimiser on w = [1, -2] with g = [0.5, -1], worked by hand from the published update.</summary>
public class OptimizerStepTests
{
    private static Parameter<double> Weight(double[] value, double[] gradient, bool regularized = true)
    {
        var p = new Parameter<double>("w", 1, value.Length, regularized);
        value.CopyTo(p.Value);
        gradient.CopyTo(p.Gradient);
        return p;
    }

    private static readonly double[] W0 = [1.0, -2.0];
    private static readonly double[] G = [0.5, -1.0];
    private static readonly double[] G2 = [0.25, 0.5];

    private static void Step(IOptimizer optimizer, Parameter<double> p, double[] gradient)
    {
        gradient.CopyTo(p.Gradient);
        optimizer.Step<double>([p], 0.0);
    }

    [Fact]
    public void Step_Sgd_MovesAgainstGradient()
    {
        // w - η g = [1 - 0.1*0.5, -2 + 0.1*1] = [0.95, -1.9]
        Parameter<double> p = Weight(W0, G);
        new Sgd(0.1).Step<double>([p], 0.0);
        p.Value.ToArray().Should().Equal([0.95, -1.9], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Step_MomentumTwice_AccumulatesVelocity()
    {
        // v1 = -η g = [-0.05, 0.1], w1 = [0.95, -1.9]; v2 = 0.9 v1 - η g = [-0.095, 0.19], w2 = [0.855, -1.71]
        Parameter<double> p = Weight(W0, G);
        var optimizer = new Momentum(0.1, 0.9);
        Step(optimizer, p, G);
        p.Value.ToArray().Should().Equal([0.95, -1.9], (a, b) => Math.Abs(a - b) < 1e-15);
        Step(optimizer, p, G);
        p.Value.ToArray().Should().Equal([0.855, -1.71], (a, b) => Math.Abs(a - b) < 1e-15);
        optimizer.StepCount.Should().Be(2);
    }

    [Fact]
    public void Step_NesterovTwice_LooksAhead()
    {
        // v1 = [-0.05, 0.1]; w1 = w0 + 0.9 v1 - η g = [1 - 0.045 - 0.05, -2 + 0.09 + 0.1] = [0.905, -1.81]
        // v2 = 0.9 v1 - η g = [-0.095, 0.19]; w2 = w1 + 0.9 v2 - η g = [0.905 - 0.0855 - 0.05, -1.81 + 0.171 + 0.1] = [0.7695, -1.539]
        Parameter<double> p = Weight(W0, G);
        var optimizer = new Momentum(0.1, 0.9, nesterov: true);
        Step(optimizer, p, G);
        p.Value.ToArray().Should().Equal([0.905, -1.81], (a, b) => Math.Abs(a - b) < 1e-15);
        Step(optimizer, p, G);
        p.Value.ToArray().Should().Equal([0.7695, -1.539], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Step_AdaGradTwice_DividesByRootOfSummedSquares()
    {
        // G1 = g² = [0.25, 1]: w1 = w0 - 0.1 g/√G1 = [0.9, -1.9]
        // G2 = [0.5, 2]: w2 = w1 - 0.1 [0.5/√0.5, -1/√2] = [0.9 - 0.0707107, -1.9 + 0.0707107]
        Parameter<double> p = Weight(W0, G);
        var optimizer = new AdaGrad(0.1, epsilon: 0);
        Step(optimizer, p, G);
        p.Value.ToArray().Should().Equal([0.9, -1.9], (a, b) => Math.Abs(a - b) < 1e-15);
        Step(optimizer, p, G);
        p.Value[0].Should().BeApproximately(0.8292893218813453, 1e-14);
        p.Value[1].Should().BeApproximately(-1.8292893218813453, 1e-14);
    }

    [Fact]
    public void Step_RmsProp_DividesByRootOfAverageSquare()
    {
        // s = (1 - 0.9) g² = [0.025, 0.1]; w = w0 - 0.01 g/√s = [1 - 0.01*0.5/0.1581139, -2 + 0.01*1/0.3162278] = [0.9683772, -1.9683772]
        Parameter<double> p = Weight(W0, G);
        new RmsProp(0.01, rho: 0.9, epsilon: 0).Step<double>([p], 0.0);
        p.Value[0].Should().BeApproximately(0.9683772233983162, 1e-14);
        p.Value[1].Should().BeApproximately(-1.9683772233983162, 1e-14);
    }

    [Fact]
    public void Step_AdamTwice_AppliesBiasCorrection()
    {
        // t=1: m̂ = g, v̂ = g², so w1 = w0 - 0.1 sign(g) = [0.9, -1.9].
        // t=2 with g2 = [0.25, 0.5]: m = 0.9*0.1 g + 0.1 g2 = [0.07, -0.04], m̂ = m/0.19 = [0.368421, -0.210526];
        // v = 0.999*0.001 g² + 0.001 g2² = [0.00031225, 0.001249], v̂ = v/0.001999 = [0.156203, 0.624812];
        // w2 = w1 - 0.1 m̂/√v̂ = [0.9 - 0.0932180, -1.9 + 0.0266337] = [0.8067820, -1.8733663]
        Parameter<double> p = Weight(W0, G);
        var optimizer = new Adam(0.1, epsilon: 0);
        Step(optimizer, p, G);
        p.Value.ToArray().Should().Equal([0.9, -1.9], (a, b) => Math.Abs(a - b) < 1e-15);
        Step(optimizer, p, G2);
        p.Value[0].Should().BeApproximately(0.8067820361188597, 1e-12);
        p.Value[1].Should().BeApproximately(-1.8733662960339599, 1e-12);
    }

    [Fact]
    public void Step_AdamW_DecaysOnlyRegularizedTensors()
    {
        // λ = 0.5, η = 0.1: w = w0 (1 - 0.05) - 0.1 sign(g) = [0.95 - 0.1, -1.9 + 0.1] = [0.85, -1.8]
        // the bias (not regularised) gets the plain Adam step: 1 - 0.1 = 0.9
        Parameter<double> w = Weight(W0, G);
        Parameter<double> b = Weight([1.0], [0.5], regularized: false);
        Adam optimizer = Adam.AdamW(0.1, weightDecay: 0.5, epsilon: 0);
        optimizer.Name.Should().Be("adamw");
        optimizer.Step<double>([w, b], 0.0);
        w.Value.ToArray().Should().Equal([0.85, -1.8], (x, y) => Math.Abs(x - y) < 1e-15);
        b.Value[0].Should().BeApproximately(0.9, 1e-15);
    }

    [Fact]
    public void Step_IRpropThreeTimes_AdaptsStepSizesBySign()
    {
        // step 1 (no previous gradient): w -= sign(g) Δ0 = [0.9, -1.9]
        // step 2, g2 = [0.25, 0.5]: w0 same sign -> Δ = 0.12, w = 0.78; w1 sign flip -> Δ = 0.05, g := 0, no move
        // step 3, g2 again: w0 -> Δ = 0.144, w = 0.636; w1 previous g was zeroed -> Δ stays 0.05, w = -1.95
        Parameter<double> p = Weight(W0, G);
        var optimizer = new IRprop(initialStep: 0.1);
        Step(optimizer, p, G);
        p.Value.ToArray().Should().Equal([0.9, -1.9], (a, b) => Math.Abs(a - b) < 1e-15);
        Step(optimizer, p, G2);
        p.Value.ToArray().Should().Equal([0.78, -1.9], (a, b) => Math.Abs(a - b) < 1e-15);
        Step(optimizer, p, G2);
        p.Value.ToArray().Should().Equal([0.636, -1.95], (a, b) => Math.Abs(a - b) < 1e-14);
    }

    [Fact]
    public void Step_LbfgsOnQuadratic_IsExactAfterTwoSteps()
    {
        // f(θ) = θ²/2, θ0 = 2, g = 2. Step 1: d = -g, α = 1/max(1, |g|₁) = 0.5, θ1 = 1 (Armijo: 0.5 ≤ 2 - 1e-4*0.5*4).
        // Step 2: s = -1, y = 1 - 2 = -1, H0 = sᵀy/yᵀy = 1 = exact inverse curvature, so d = -1 and θ2 = 0 with α = 1.
        var p = new Parameter<double>("theta", 1, 1, regularized: false);
        p.Value[0] = 2;
        double Evaluate()
        {
            p.Gradient[0] = p.Value[0];
            return p.Value[0] * p.Value[0] / 2;
        }

        var optimizer = new Lbfgs();
        double loss = Evaluate();
        optimizer.Step<double>([p], loss, Evaluate);
        p.Value[0].Should().Be(1.0);
        loss = Evaluate();
        optimizer.Step<double>([p], loss, Evaluate);
        p.Value[0].Should().Be(0.0);
    }

    [Fact]
    public void Step_LbfgsWithoutClosure_Throws()
    {
        Parameter<double> p = Weight(W0, G);
        FluentActions.Invoking(() => new Lbfgs().Step<double>([p], 1.0)).Should().Throw<ArgumentNullException>().WithParameterName("evaluate");
    }

    [Fact]
    public void ImportState_ExportedMidway_ContinuesBitIdentically()
    {
        // Three Adam steps in one go, against two steps, export, import into a fresh Adam, one more step.
        Parameter<float> a = new("w", 1, 2, true), b = new("w", 1, 2, true);
        float[] g1 = [0.5f, -1f], g2 = [0.25f, 0.5f], g3 = [-0.125f, 2f];
        var first = new Adam(0.1);
        var second = new Adam(0.1);
        foreach (float[] g in new[] { g1, g2 })
        {
            g.CopyTo(a.Gradient);
            first.Step<float>([a], 0f);
            g.CopyTo(b.Gradient);
            second.Step<float>([b], 0f);
        }

        OptimizerState state = second.ExportState();
        state.StepCount.Should().Be(2);
        state.Tensors.Should().HaveCount(2);
        var resumed = new Adam(0.1);
        resumed.ImportState(state);
        g3.CopyTo(a.Gradient);
        first.Step<float>([a], 0f);
        g3.CopyTo(b.Gradient);
        resumed.Step<float>([b], 0f);
        b.Value.ToArray().Should().Equal(a.Value.ToArray());
        resumed.StepCount.Should().Be(3);
    }

    [Fact]
    public void ImportState_FromOtherOptimizer_Throws()
    {
        var sgd = new Sgd();
        FluentActions.Invoking(() => new Adam().ImportState(sgd.ExportState())).Should().Throw<ArgumentException>().WithParameterName("state");
    }

    [Fact]
    public void Constructor_NegativeLearningRate_Throws()
    {
        FluentActions.Invoking(() => new Sgd(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("learningRate");
        FluentActions.Invoking(() => new Adam(beta1: 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("beta1");
    }

    [Fact]
    public void Step_OtherParameterList_Throws()
    {
        var optimizer = new Momentum(0.1);
        optimizer.Step<double>([Weight(W0, G)], 0.0);
        FluentActions.Invoking(() => optimizer.Step<double>([Weight([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])], 0.0)).Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("momentum")]
    [InlineData("rmsprop")]
    public void Step_VectorLanesAndScalarTail_AgreeBitForBit(string name)
    {
        // 19 equal elements: the first ones go through SIMD lanes, the rest through the scalar tail; all must match.
        IOptimizer optimizer = name switch
        {
            "adam" => new Adam(0.01),
            "adamw" => Adam.AdamW(0.01, 0.1),
            "momentum" => new Momentum(0.01),
            _ => new RmsProp(0.01),
        };
        var p = new Parameter<float>("w", 1, 19, regularized: true);
        p.Value.Fill(0.3f);
        for (int step = 0; step < 3; step++)
        {
            p.Gradient.Fill(0.7f - step);
            optimizer.Step<float>([p], 0f);
        }

        p.Value.ToArray().Should().AllBeEquivalentTo(p.Value[0]);
        p.Value[0].Should().NotBe(0.3f);
    }
}
