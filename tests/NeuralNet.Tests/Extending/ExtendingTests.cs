using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Extending;

/// <summary>The examples of docs/extending.md, each verified with <see cref="GradientCheck"/>.</summary>
public class ExtendingTests
{
    /// <summary>f(z) = z / (1 + |z|), f'(z) = 1 / (1 + |z|)^2.</summary>
    private sealed class Softsign : IActivation
    {
        public string Name => "softsign";

        public void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = input[i] / (T.One + T.Abs(input[i]));
            }
        }

        public void Backward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < input.Length; i++)
            {
                T d = T.One + T.Abs(input[i]);
                inputGradient[i] = outputGradient[i] / (d * d);
            }
        }
    }

    /// <summary>L = 1/(B K) sum ln cosh(p - y), dL/dp = tanh(p - y) / (B K).</summary>
    private sealed class LogCosh : ILoss
    {
        public string Name => "log_cosh";

        public T Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T sum = T.Zero;
            for (int i = 0; i < prediction.Length; i++)
            {
                sum += T.Log(T.Cosh(prediction[i] - target[i]));
            }

            return sum / T.CreateTruncating(prediction.Length);
        }

        public void Gradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> gradient, int batchSize) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T scale = T.One / T.CreateTruncating(prediction.Length);
            for (int i = 0; i < prediction.Length; i++)
            {
                gradient[i] = T.Tanh(prediction[i] - target[i]) * scale;
            }
        }
    }

    /// <summary>A learnable per-unit scale: y[b, j] = x[b, j] * s[j]; ds[j] = sum_b g[b, j] x[b, j]; dx = g * s.</summary>
    private sealed class ScaleLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Parameter<T> _scale;

        public ScaleLayer(int size) => _scale = new Parameter<T>("s", 1, size, regularized: false);

        public override int InputSize => _scale.Columns;

        public override int OutputSize => _scale.Columns;

        public override string Kind => "scale";

        public override IReadOnlyList<Parameter<T>> Parameters => [_scale];

        public override void Initialize(RandomSource random) => _scale.Value.Fill(T.One + T.CreateTruncating(random.NextDouble()));

        protected override void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int batchSize, bool training) => Infer(input, output, batchSize);

        protected override void BackwardCore(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batchSize)
        {
            for (int j = 0; j < OutputSize; j++)
            {
                T sum = T.Zero;
                for (int b = 0; b < batchSize; b++)
                {
                    int i = b + j * batchSize;
                    sum += outputGradient[i] * input[i];
                    if (!inputGradient.IsEmpty)
                    {
                        inputGradient[i] = outputGradient[i] * _scale.Value[j];
                    }
                }

                _scale.Gradient[j] = sum;
            }
        }

        public override void Infer(ReadOnlySpan<T> input, Span<T> output, int batchSize)
        {
            for (int j = 0; j < OutputSize; j++)
            {
                for (int b = 0; b < batchSize; b++)
                {
                    output[b + j * batchSize] = input[b + j * batchSize] * _scale.Value[j];
                }
            }
        }
    }

    [Fact]
    public void CustomActivationLossAndLayer_PassTheGradientCheck()
    {
        Network<double> net = new NetworkBuilder<double>(3).WithSeed(21)
            .AddDense(5, new Softsign())
            .Add(n => new ScaleLayer<double>(n))
            .AddDense(2)
            .Build();

        GradientCheckResult result = GradientCheck.Run(net, TestData.Gaussian(6, 3, 1), TestData.Gaussian(6, 2, 2), new LogCosh());

        result.Layers.Should().HaveCount(3);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }
}

/// <summary>The optimiser example of docs/extending.md.</summary>
public class CustomOptimizerTests
{
    /// <summary>Heavy-ball momentum written as a custom optimiser: v ← μ v + g, θ ← θ - η v.</summary>
    private sealed class HeavyBall(double learningRate, double mu) : NeuralNet.Optimizers.Optimizer(learningRate)
    {
        public override string Name => "heavy_ball";

        protected override int SlotsPerParameter => 1;

        protected override void StepCore<T>(IReadOnlyList<Parameter<T>> parameters, T loss, Func<T>? evaluate)
        {
            T eta = T.CreateTruncating(LearningRate), m = T.CreateTruncating(mu);
            for (int p = 0; p < parameters.Count; p++)
            {
                Span<T> v = Slot<T>(0, p), value = parameters[p].Value, g = parameters[p].Gradient;
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = m * v[i] + g[i];
                    value[i] -= eta * v[i];
                }
            }
        }
    }

    [Fact]
    public void CustomOptimizer_GradientsCheckedAndLeastSquaresMinimumReached()
    {
        (var x, var y) = NeuralNet.Tests.Training.LeastSquares.Data();
        Network<double> net = NeuralNet.Tests.Training.LeastSquares.LinearNetwork();
        // The gradients the optimiser follows are the ones the gradient check verifies.
        GradientCheck.Run(net, x, y, Loss.MeanSquaredError).MaxRelativeError.Should().BeLessThan(1e-6);

        var trainer = new NeuralNet.Training.Trainer<double>(new NeuralNet.Training.TrainerOptions
        {
            Epochs = 200, BatchSize = 16, Seed = 1, Loss = Loss.MeanSquaredError, Optimizer = new HeavyBall(0.02, 0.9),
        });
        trainer.Fit(net, x, y);

        NeuralNet.Tests.Training.LeastSquares.Error(net).Should().BeLessThan(1e-6);
    }
}
