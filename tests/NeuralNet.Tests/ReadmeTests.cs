using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>The README's quick start, line for line, so the documented code keeps compiling and working.</summary>
public class ReadmeTests
{
    [Fact]
    public void QuickStart_LearnsXor()
    {
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });

        Network<double> net = new NetworkBuilder<double>(inputSize: 2)
            .WithSeed(2)
            .AddDense(4, Activation.Tanh)
            .AddDense(1, Activation.Sigmoid)
            .Build();

        var trainer = new Trainer<double>(new TrainerOptions
        {
            // The defaults: Epochs 10, BatchSize 32, Adam(0.001), Loss mean squared error, shuffled with Seed 0.
            Epochs = 300, BatchSize = 4, Optimizer = new Adam(0.05), Loss = Loss.BinaryCrossEntropy,
        });
        TrainingHistory history = trainer.Fit(net, x, y);   // Fit(net, x, y, r => Console.WriteLine(r)) prints each epoch

        Matrix<double> p = net.Predict(x);          // ≈ [0, 1, 1, 0]
        int[] classes = net.PredictClasses(x);      // [0, 1, 1, 0]: p ≥ 0.5 for one sigmoid output

        history.Loss[^1].Should().BeLessThan(0.05);
        p.Column(0).Select(v => v >= 0.5 ? 1 : 0).Should().Equal(0, 1, 1, 0);
        classes.Should().Equal(0, 1, 1, 0);

        // The defaults the comment states.
        var defaults = new TrainerOptions();
        defaults.Epochs.Should().Be(10);
        defaults.BatchSize.Should().Be(32);
        defaults.Optimizer.Should().BeOfType<Adam>().Which.LearningRate.Should().Be(0.001);
        defaults.Loss.Should().BeSameAs(Loss.MeanSquaredError);
        defaults.Shuffle.Should().BeTrue();
        defaults.Seed.Should().Be(0);
    }
}
