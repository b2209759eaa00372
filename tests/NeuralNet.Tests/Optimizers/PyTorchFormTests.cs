using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>The PyTorch variants, two steps each on θ = 1 with g = 0.5, worked by hand from torch.optim's published
/// update rules (RMSprop with momentum and centered; SGD with momentum and Nesterov, dampening 0).</summary>
public class PyTorchFormTests
{
    private static double Run(IOptimizer optimizer, params double[] rates)
    {
        var p = new Parameter<double>("w", 1, 1, regularized: true);
        p.Value[0] = 1.0;
        foreach (double rate in rates)
        {
            optimizer.LearningRate = rate;
            p.Gradient[0] = 0.5;
            optimizer.Step<double>([p], 0.0);
        }

        return p.Value[0];
    }

    [Fact]
    public void RmsProp_Momentum_TwoSteps()
    {
        // ρ = 0.9, ε = 0, μ = 0.5, η = 0.1, g = 0.5.
        // step 1: s = 0.1·0.25 = 0.025, b = 0.5/√0.025 = √10 = 3.16227766, θ = 1 - 0.1·√10 = 0.683772234
        // step 2: s = 0.9·0.025 + 0.025 = 0.0475, b = 0.5·√10 + 0.5/√0.0475 = 1.58113883 + 2.29415734 = 3.87529617,
        //         θ = 0.683772234 - 0.387529617 = 0.296242617
        double theta = Run(new RmsProp(0.1, rho: 0.9, epsilon: 0, momentum: 0.5), 0.1, 0.1);
        theta.Should().BeApproximately(1 - 0.1 * Math.Sqrt(10) - 0.1 * (0.5 * Math.Sqrt(10) + 0.5 / Math.Sqrt(0.0475)), 1e-14);
        theta.Should().BeApproximately(0.296242617, 1e-9);
    }

    [Fact]
    public void RmsProp_Centered_TwoSteps()
    {
        // step 1: s = 0.025, m = 0.1·0.5 = 0.05, s̃ = 0.025 - 0.05² = 0.0225, √s̃ = 0.15, θ = 1 - 0.1·0.5/0.15 = 0.666666667
        // step 2: s = 0.0475, m = 0.9·0.05 + 0.05 = 0.095, s̃ = 0.0475 - 0.009025 = 0.038475,
        //         θ = 0.666666667 - 0.1·0.5/√0.038475 = 0.666666667 - 0.254906371 = 0.411760296
        double theta = Run(new RmsProp(0.1, rho: 0.9, epsilon: 0, centered: true), 0.1, 0.1);
        theta.Should().BeApproximately(1 - 0.05 / 0.15 - 0.05 / Math.Sqrt(0.038475), 1e-14);
        theta.Should().BeApproximately(0.411760296, 1e-9);
    }

    [Fact]
    public void RmsProp_CenteredWithMomentum_TwoSteps()
    {
        // step 1: b = 0.5/0.15 = 3.333333, θ = 1 - 0.333333 = 0.666667
        // step 2: b = 0.5·3.333333 + 0.5/√0.038475 = 1.666667 + 2.549064 = 4.215730, θ = 0.666667 - 0.421573 = 0.245094
        double theta = Run(new RmsProp(0.1, rho: 0.9, epsilon: 0, momentum: 0.5, centered: true), 0.1, 0.1);
        theta.Should().BeApproximately(1 - 0.1 / 0.3 - 0.1 * (0.5 / 0.3 + 0.5 / Math.Sqrt(0.038475)), 1e-14);
        theta.Should().BeApproximately(0.245094, 1e-6);
    }

    [Fact]
    public void RmsProp_Epsilon_IsAddedOutsideTheRoot()
    {
        // One step, ε = 0.1: θ = 1 - 0.1 · 0.5 / (√0.025 + 0.1) = 1 - 0.05 / 0.258113883 = 0.806285
        Run(new RmsProp(0.1, rho: 0.9, epsilon: 0.1, momentum: 0.5), 0.1).Should().BeApproximately(1 - 0.05 / (Math.Sqrt(0.025) + 0.1), 1e-14);
    }

    [Theory]
    [InlineData(false, 0.855)] // b1 = 0.5, θ1 = 1 - 0.05 = 0.95; b2 = 0.9·0.5 + 0.5 = 0.95, θ2 = 0.95 - 0.095 = 0.855
    [InlineData(true, 0.7695)] // θ1 = 1 - 0.1·(0.5 + 0.9·0.5) = 0.905; b2 = 0.95, θ2 = 0.905 - 0.1·(0.5 + 0.855) = 0.7695
    public void Momentum_PyTorchForm_TwoSteps(bool nesterov, double expected)
    {
        Run(new Momentum(0.1, 0.9, nesterov, MomentumForm.PyTorch), 0.1, 0.1).Should().BeApproximately(expected, 1e-15);
    }

    [Fact]
    public void Momentum_Forms_AgreeAtAConstantRateAndDifferWhenItChanges()
    {
        // Constant η = 0.1: both give 0.855 after two steps (Sutskever: v2 = 0.9·(-0.05) - 0.05 = -0.095).
        Run(new Momentum(0.1, 0.9), 0.1, 0.1).Should().BeApproximately(0.855, 1e-15);
        // η = 0.1 then 0.2: PyTorch θ2 = 0.95 - 0.2·0.95 = 0.76 (the new rate scales the whole velocity);
        // Sutskever v2 = 0.9·(-0.05) - 0.2·0.5 = -0.145, θ2 = 0.95 - 0.145 = 0.805 (only the new gradient).
        Run(new Momentum(0.1, 0.9, form: MomentumForm.PyTorch), 0.1, 0.2).Should().BeApproximately(0.76, 1e-15);
        Run(new Momentum(0.1, 0.9), 0.1, 0.2).Should().BeApproximately(0.805, 1e-15);
    }

    [Fact]
    public void Momentum_StateOfTheOtherForm_IsRejected()
    {
        var pytorch = new Momentum(0.1, 0.9, form: MomentumForm.PyTorch);
        Run(pytorch, 0.1);
        FluentActions.Invoking(() => new Momentum(0.1, 0.9).ImportState(pytorch.ExportState())).Should().Throw<ArgumentException>().WithMessage("*PyTorch form*");
        FluentActions.Invoking(() => new RmsProp(momentum: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("momentum");
    }
}
