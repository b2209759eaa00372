using NeuralNet.Schedules;

namespace NeuralNet.Tests.Schedules;

public class ScheduleTests
{
    [Theory]
    [InlineData(0.0, 0.1)]
    [InlineData(2.9, 0.1)]
    [InlineData(3.0, 0.05)]
    [InlineData(6.5, 0.025)]
    public void Step_HalvesEveryThreeEpochs(double progress, double expected) =>
        new StepSchedule(3, 0.5).GetLearningRate(0.1, progress).Should().BeApproximately(expected, 1e-15);

    [Fact]
    public void Exponential_DecaysPerEpoch() =>
        new ExponentialSchedule(0.9).GetLearningRate(1.0, 2.5).Should().BeApproximately(0.81, 1e-15); // 0.9^⌊2.5⌋

    [Theory]
    [InlineData(0.0, 0.0)]      // warm-up starts at 0
    [InlineData(1.0, 0.5)]      // half-way through 2 warm-up epochs
    [InlineData(2.0, 1.0)]      // peak
    [InlineData(6.0, 0.5)]      // cos(π/2): half-way through the 8 annealing epochs
    [InlineData(10.0, 0.0)]     // end
    public void Cosine_WarmsUpThenAnneals(double progress, double expected) =>
        new CosineSchedule(totalEpochs: 10, warmupEpochs: 2).GetLearningRate(1.0, progress).Should().BeApproximately(expected, 1e-15);

    [Fact]
    public void ReduceOnPlateau_ReducesAfterPatienceEpochsWithoutImprovement()
    {
        var schedule = new ReduceOnPlateau(factor: 0.5, patience: 2);
        schedule.OnEpochEnd(0, 1.0);
        schedule.OnEpochEnd(1, 0.9);   // improved
        schedule.OnEpochEnd(2, 0.95);  // wait 1
        schedule.GetLearningRate(0.1, 3).Should().Be(0.1);
        schedule.OnEpochEnd(3, 0.91);  // wait 2 -> reduce
        schedule.GetLearningRate(0.1, 4).Should().BeApproximately(0.05, 1e-15);
        schedule.Reset();
        schedule.GetLearningRate(0.1, 0).Should().Be(0.1);
    }

    [Fact]
    public void Cosine_WarmupNotBelowTotal_Throws() =>
        FluentActions.Invoking(() => new CosineSchedule(5, 5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("warmupEpochs");

    [Fact]
    public void ReduceOnPlateau_ExportImport_ContinuesIdentically()
    {
        var original = new ReduceOnPlateau(factor: 0.5, patience: 2);
        original.OnEpochEnd(0, 1.0);   // best 1.0
        original.OnEpochEnd(1, 1.0);   // wait 1
        original.OnEpochEnd(2, 1.0);   // wait 2 -> scale 0.5, wait 0
        original.OnEpochEnd(3, 1.0);   // wait 1
        original.ExportState().Should().Equal(1.0, 1, 0.5);

        var copy = new ReduceOnPlateau(factor: 0.5, patience: 2);
        copy.ImportState(original.ExportState());
        original.OnEpochEnd(4, 1.0);   // wait 2 -> scale 0.25
        copy.OnEpochEnd(4, 1.0);

        copy.Scale.Should().Be(0.25);
        copy.ExportState().Should().Equal(original.ExportState());
        copy.GetLearningRate(0.1, 5).Should().Be(original.GetLearningRate(0.1, 5));
    }

    [Fact]
    public void ReduceOnPlateau_FreshState_HasInfiniteBest() =>
        new ReduceOnPlateau().ExportState().Should().Equal(double.PositiveInfinity, 0, 1);

    [Theory]
    [InlineData(1.0, 0, 1.5)]
    [InlineData(1.0, 0, 0)]
    [InlineData(1.0, 0, double.NaN)]
    [InlineData(1.0, -1, 0.5)]
    [InlineData(1.0, 0.5, 0.5)]
    [InlineData(double.NaN, 0, 0.5)]
    [InlineData(double.NegativeInfinity, 0, 0.5)]
    public void ReduceOnPlateau_ImportOutOfRange_ThrowsAndKeepsState(double best, double wait, double scale)
    {
        var schedule = new ReduceOnPlateau();

        Action act = () => schedule.ImportState([best, wait, scale]);

        act.Should().Throw<ArgumentException>().WithParameterName("state");
        schedule.ExportState().Should().Equal(double.PositiveInfinity, 0, 1);
    }

    [Fact]
    public void ReduceOnPlateau_ImportWrongLength_ThrowsArgument() =>
        FluentActions.Invoking(() => new ReduceOnPlateau().ImportState([1.0, 0])).Should().Throw<ArgumentException>().WithParameterName("state");

    [Fact]
    public void StatelessSchedule_ExportsNothingAndRejectsState()
    {
        ILearningRateSchedule schedule = new StepSchedule(3, 0.5);
        schedule.ExportState().Should().BeEmpty();
        schedule.ImportState([]);

        FluentActions.Invoking(() => schedule.ImportState([1.0])).Should().Throw<ArgumentException>().WithParameterName("state");
    }
}
