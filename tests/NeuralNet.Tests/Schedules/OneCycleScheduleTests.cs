using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests.Schedules;

/// <summary>
/// Values worked by hand from PyTorch's published <c>OneCycleLR</c> rule for <c>max_lr = 0.1</c>, <c>epochs = 2</c>,
/// <c>steps_per_epoch = 5</c> and the defaults (<c>pct_start = 0.3</c>, <c>div_factor = 25</c>,
/// <c>final_div_factor = 1e4</c>): 10 steps, the rise ends at step 0.3 · 10 - 1 = 2, η_0 = 0.1 / 25 = 0.004,
/// η_min = 0.004 / 10⁴ = 4e-7.
/// </summary>
public class OneCycleScheduleTests
{
    [Theory]
    [InlineData(0.0, 0.004)]                  // step 0: η_0
    [InlineData(0.2, 0.052)]                  // step 1, p = 1/2: 0.1 + (0.004 - 0.1)/2 · (cos(π/2) + 1)
    [InlineData(0.4, 0.1)]                    // step 2, p = 1: the peak
    [InlineData(1.0, 0.06112620219362893)]    // step 5, p = 3/7: 4e-7 + (0.1 - 4e-7)/2 · (cos(3π/7) + 1)
    [InlineData(1.8, 4e-7)]                   // step 9, the last: η_min
    [InlineData(2.5, 4e-7)]                   // past the cycle: stays at η_min
    public void GetLearningRate_MatchesPyTorchsRule(double progress, double expected) =>
        new OneCycleSchedule(epochs: 2, stepsPerEpoch: 5).GetLearningRate(0.1, progress).Should().BeApproximately(expected, 1e-15);

    [Fact]
    public void GetLearningRate_OtherFactors_UseThem()
    {
        // pct_start 0.5, div 10, final div 100 over 4 steps: rise ends at step 1; η_0 = 0.01, η_min = 1e-4.
        var schedule = new OneCycleSchedule(epochs: 1, stepsPerEpoch: 4, pctStart: 0.5, divFactor: 10, finalDivFactor: 100);
        schedule.GetLearningRate(0.1, 0.0).Should().BeApproximately(0.01, 1e-15);
        schedule.GetLearningRate(0.1, 0.25).Should().BeApproximately(0.1, 1e-15);
        schedule.GetLearningRate(0.1, 0.5).Should().BeApproximately(1e-4 + (0.1 - 1e-4) / 2, 1e-15); // step 2, p = 1/2: cos(π/2) + 1 = 1
        schedule.GetLearningRate(0.1, 0.75).Should().BeApproximately(1e-4, 1e-15);
    }

    [Fact]
    public void GetLearningRate_TooFewStepsToRise_DecaysFromThePeak()
    {
        // 3 steps at pct_start 0.3: the rise would end at step -0.1, so step 0 is already in the decay, at p = 0.1/2.1.
        var schedule = new OneCycleSchedule(epochs: 1, stepsPerEpoch: 3);
        double min = 0.1 / 25 / 1e4;
        schedule.GetLearningRate(0.1, 0.0).Should().BeApproximately(min + (0.1 - min) / 2 * (Math.Cos(Math.PI * 0.1 / 2.1) + 1), 1e-15);
        new OneCycleSchedule(epochs: 1, stepsPerEpoch: 1).GetLearningRate(0.1, 0.0).Should().Be(min);
    }

    [Fact]
    public void Fit_UsesOneRatePerBatch_FromTheFirstBatchToTheLast()
    {
        // 40 rows in batches of 8: 5 batches per epoch, 2 epochs, so the trainer's rates are the 10 steps above.
        Matrix<double> x = Matrix<double>.Build.Dense(40, 2, (i, j) => (i * 7 + j * 3) % 11 / 11.0);
        Matrix<double> y = Matrix<double>.Build.Dense(40, 1, (i, _) => i % 2);
        Network<double> network = new NetworkBuilder<double>(2).WithSeed(1).AddDense(4, Activation.Tanh).AddDense(1, Activation.Sigmoid).Build();
        var schedule = new OneCycleSchedule(epochs: 2, stepsPerEpoch: 5);
        var trainer = new Trainer<double>(new TrainerOptions
        {
            Epochs = 2, BatchSize = 8, Optimizer = new Adam(0.1), Schedule = schedule, Loss = Loss.BinaryCrossEntropy,
        });
        var rates = new List<double>();
        trainer.Fit(network, x, y, null, null, null, report => rates.Add(report.LearningRate));

        rates.Should().HaveCount(10);
        for (int s = 0; s < 10; s++)
        {
            rates[s].Should().BeApproximately(schedule.GetLearningRate(0.1, s / 5.0), 1e-15);
        }

        rates[0].Should().BeApproximately(0.004, 1e-15);
        rates[2].Should().BeApproximately(0.1, 1e-15);
        rates[9].Should().BeApproximately(4e-7, 1e-15);
    }

    [Theory]
    [InlineData(0, 5, 0.3, 25, 1e4)]
    [InlineData(2, 0, 0.3, 25, 1e4)]
    [InlineData(2, 5, 0.0, 25, 1e4)]
    [InlineData(2, 5, 1.0, 25, 1e4)]
    [InlineData(2, 5, double.NaN, 25, 1e4)]
    [InlineData(2, 5, 0.3, 0.5, 1e4)]
    [InlineData(2, 5, 0.3, 25, double.PositiveInfinity)]
    public void Constructor_OutOfRange_Throws(int epochs, int steps, double pctStart, double div, double finalDiv) =>
        FluentActions.Invoking(() => new OneCycleSchedule(epochs, steps, pctStart, div, finalDiv)).Should().Throw<ArgumentOutOfRangeException>();
}
