// Hours of sleep and hours of study -> test score: the regression of Stephen Welch's "Neural Networks Demystified".
// Shows a gradient check, L-BFGS against Adam on the same network, and L2 regularisation curing over-fitting.
using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        StudentScores: hours of sleep and study -> test score, a regression on 4 training and 4 test students.
        Prints a gradient check, L-BFGS against Adam, and how L2 regularisation cures over-fitting. Runs in about a second.

        Usage: dotnet run --project samples/StudentScores
          -h, --help   this text
        """);
    return 0;
}

// Training data (sleep, study) -> score, and four more students kept for testing (part 7 of the series).
double[,] trainX = { { 3, 5 }, { 5, 1 }, { 10, 2 }, { 6, 1.5 } };
double[] trainScores = [75, 82, 93, 70];
double[,] testX = { { 4, 5.5 }, { 4.5, 1 }, { 9, 2.5 }, { 6, 2 } };
double[] testScores = [70, 89, 85, 75];

// Scale as the series does: inputs by the training maxima (10 h sleep, 5 h study), scores by the maximum score 100.
Matrix<double> x = Scale(trainX), xTest = Scale(testX);
Matrix<double> y = Matrix<double>.Build.DenseOfColumnArrays(trainScores.Select(s => s / 100).ToArray());
Matrix<double> yTest = Matrix<double>.Build.DenseOfColumnArrays(testScores.Select(s => s / 100).ToArray());

Network<double> Build(int hidden) =>
    new NetworkBuilder<double>(2).WithSeed(42).AddDense(hidden, Activation.Sigmoid).AddDense(1, Activation.Sigmoid).Build();

// 1. Gradient check: back-propagation against central differences.
Console.WriteLine("1. Gradient check (2-3-1 sigmoid network, MSE, central differences, double precision)");
GradientCheckResult check = GradientCheck.Run(Build(3), x, y, Loss.MeanSquaredError);
Console.WriteLine(check);
Console.WriteLine($"   passed (< 1e-6): {check.Passed()}");
Console.WriteLine();

// 2. L-BFGS (full batch, a quasi-Newton step per epoch) against Adam (full batch of 4 rows).
Console.WriteLine("2. L-BFGS against Adam on the 4 training students");
foreach ((string name, IOptimizer optimizer, int epochs) in new (string, IOptimizer, int)[]
{
    ("L-BFGS m=10", new Lbfgs(), 200),
    ("L-BFGS m=3", new Lbfgs(historySize: 3), 200),
    ("Adam(0.01)", new Adam(0.01), 200),
    ("Adam(0.01)", new Adam(0.01), 5000),
})
{
    Network<double> network = Build(3);
    var trainer = new Trainer<double>(new TrainerOptions { Epochs = epochs, BatchSize = 4, Optimizer = optimizer, Loss = Loss.MeanSquaredError, Shuffle = false });
    var clock = Stopwatch.StartNew();
    TrainingHistory history = trainer.Fit(network, x, y);
    clock.Stop();
    double loss = network.ComputeGradients(x, y, Loss.MeanSquaredError);
    double gradientNorm = Math.Sqrt(network.Parameters.Sum(p => p.Gradient.ToArray().Sum(g => g * g)));
    Console.WriteLine($"   {name,-11} {epochs,5} steps: training MSE {loss:E3}, |gradient| {gradientNorm:E1} ({clock.Elapsed.TotalMilliseconds:F0} ms); predicted scores {Scores(network.Predict(x))}");
}

Console.WriteLine($"   actual scores {string.Join(", ", trainScores.Select(s => s.ToString("F1")))}");
Console.WriteLine("   (a run whose gradient is ~0 at a non-zero loss stopped at a stationary point of this non-convex loss, not a bug.)");
Console.WriteLine();

// 3. Over-fitting: a wider network fitted hard to 4 points memorises them; an L2 penalty on the weights trades a
// little training error for a smaller test error.
Console.WriteLine("3. Over-fitting and L2 (2-6-1 network, 500 L-BFGS steps; MSE in scaled units, scores / 100)");
foreach (double lambda in new[] { 0.0, 1e-4, 1e-3 })
{
    Network<double> network = Build(6);
    var trainer = new Trainer<double>(new TrainerOptions { Epochs = 500, Optimizer = new Lbfgs(), Loss = Loss.MeanSquaredError, L2 = lambda });
    trainer.Fit(network, x, y);
    double train = trainer.Evaluate(network, x, y).Loss, test = trainer.Evaluate(network, xTest, yTest).Loss;
    Console.WriteLine($"   L2 = {lambda,-7} training MSE {train:E3}   test MSE {test:E3}   test predictions {Scores(network.Predict(xTest))}");
}

Console.WriteLine($"   actual test scores {string.Join(", ", testScores.Select(s => s.ToString("F1")))}");

return 0;

static Matrix<double> Scale(double[,] hours) =>
    Matrix<double>.Build.Dense(hours.GetLength(0), 2, (i, j) => hours[i, j] / (j == 0 ? 10.0 : 5.0));

static string Scores(Matrix<double> prediction) =>
    string.Join(", ", prediction.Column(0).Select(v => (100 * v).ToString("F1")));
