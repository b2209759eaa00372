using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Tests.Training;
using NeuralNet.Training;

namespace NeuralNet.Tests.Optimizers;

public class OptimizerConvergenceTests
{
    public static TheoryData<string> Names => new() { "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "irprop-", "lbfgs" };

    private static (IOptimizer Optimizer, int Epochs, ILearningRateSchedule Schedule) Setup(string name) => name switch
    {
        "sgd" => (new Sgd(0.1), 100, ConstantSchedule.Instance),
        "momentum" => (new Momentum(0.05, 0.9), 100, ConstantSchedule.Instance),
        "nesterov" => (new Momentum(0.05, 0.9, nesterov: true), 100, ConstantSchedule.Instance),
        "adagrad" => (new AdaGrad(0.5), 200, ConstantSchedule.Instance),
        "rmsprop" => (new RmsProp(0.05), 300, new ExponentialSchedule(0.98)),
        "adam" => (new Adam(0.05), 200, new ExponentialSchedule(0.97)),

        // Decay pulls the weights towards 0, so AdamW's minimum is slightly off θ*; a tiny λ keeps it within tolerance.
        "adamw" => (Adam.AdamW(0.05, weightDecay: 1e-6), 200, new ExponentialSchedule(0.97)),
        "irprop-" => (new IRprop(), 300, ConstantSchedule.Instance),
        "lbfgs" => (new Lbfgs(), 30, ConstantSchedule.Instance),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Fit_LinearLeastSquares_ReachesKnownMinimum(string name)
    {
        // y = X [1.5, -2, 0.5] + 0.3 without noise: MSE is convex in (W, b) with its unique minimum there.
        (IOptimizer optimizer, int epochs, ILearningRateSchedule schedule) = Setup(name);
        optimizer.Name.Should().Be(name);
        var (x, y) = LeastSquares.Data();
        Network<double> network = LeastSquares.LinearNetwork();
        var trainer = new Trainer<double>(new TrainerOptions { Epochs = epochs, BatchSize = 16, Optimizer = optimizer, Schedule = schedule, Seed = 5 });

        TrainingHistory history = trainer.Fit(network, x, y);

        LeastSquares.Error(network).Should().BeLessThan(1e-3, $"{name} should reach w* = [1.5, -2, 0.5], b* = 0.3");
        history.Loss[^1].Should().BeLessThan(1e-5);
    }
}
