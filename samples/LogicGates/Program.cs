using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Losses;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        LogicGates: a perceptron on AND, OR, NAND and XOR, then a 2-2-1 network that solves XOR.

        Usage: dotnet run --project samples/LogicGates [-- [seed] [--out DIR]]
          seed       seed of the network's initial weights (default 2)
          --out DIR  folder for xor-boundary.png (default out)
        """);
    return 0;
}

string outDir = OptionValue(args, "--out") ?? "out";
string[] positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--out")).ToArray();
long seed = positional.Length > 0 ? long.Parse(positional[0], System.Globalization.CultureInfo.InvariantCulture) : 2;

// The four corners of the unit square, and the truth tables of three gates.
Matrix<double> inputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
var gates = new (string Name, int[] Truth)[]
{
    ("AND", [0, 0, 0, 1]),
    ("OR", [0, 1, 1, 1]),
    ("NAND", [1, 1, 1, 0]),
    ("XOR", [0, 1, 1, 0]),
};

Console.WriteLine("1. A single perceptron: y = step(w . x + b), trained by Rosenblatt's rule");
Console.WriteLine();
foreach ((string name, int[] truth) in gates)
{
    var perceptron = new Perceptron<double>(inputSize: 2);
    PerceptronTrainingResult result = perceptron.Train(inputs, truth, maxEpochs: 50);
    int[] learned = perceptron.Predict(inputs);
    Console.WriteLine($"{name,-5} {(result.Converged ? $"converged after {result.Epochs} epochs" : $"did NOT converge in {result.Epochs} epochs ({result.ErrorsInLastEpoch} errors in the last)")}");
    Console.WriteLine($"      w = [{perceptron.Weights[0]:0.##}, {perceptron.Weights[1]:0.##}], b = {perceptron.Bias:0.##}");
    Console.WriteLine("      x1 x2 | want got");
    for (int r = 0; r < 4; r++)
    {
        Console.WriteLine($"       {inputs[r, 0]}  {inputs[r, 1]} |  {truth[r]}    {learned[r]}{(truth[r] == learned[r] ? "" : "   <- wrong")}");
    }

    Console.WriteLine();
}

Console.WriteLine("XOR is not linearly separable: no line w . x + b = 0 puts (0,1), (1,0) on one side and (0,0), (1,1)");
Console.WriteLine("on the other, so a perceptron cannot represent it. A hidden layer bends the boundary:");
Console.WriteLine();

// 2 inputs -> 2 tanh hidden units -> 1 sigmoid output, trained by full-batch gradient descent on cross-entropy.
Network<double> network = new NetworkBuilder<double>(2).WithSeed(seed).AddDense(2, Activation.Tanh).AddDense(1, Activation.Sigmoid).Build();
Matrix<double> targets = Matrix<double>.Build.Dense(4, 1, (r, _) => gates[3].Truth[r]);
ILoss loss = Loss.BinaryCrossEntropy;
const double learningRate = 0.5;
double value = 0;
for (int epoch = 1; epoch <= 2000; epoch++)
{
    value = network.ComputeGradients(inputs, targets, loss);
    foreach (var parameter in network.Parameters)
    {
        // Plain gradient descent: theta <- theta - eta * dL/dtheta.
        for (int i = 0; i < parameter.Length; i++)
        {
            parameter.Value[i] -= learningRate * parameter.Gradient[i];
        }
    }

    if (epoch is 1 or 10 or 100 or 500 or 2000)
    {
        Console.WriteLine($"  epoch {epoch,4}: cross-entropy {value:F5}");
    }
}

Console.WriteLine();
Console.WriteLine(network.Summary());
Console.WriteLine();
Matrix<double> output = network.Predict(inputs);
Console.WriteLine("  x1 x2 | want  p(1)   got");
int correct = 0;
for (int r = 0; r < 4; r++)
{
    int got = output[r, 0] >= 0.5 ? 1 : 0;
    correct += got == gates[3].Truth[r] ? 1 : 0;
    Console.WriteLine($"   {inputs[r, 0]}  {inputs[r, 1]} |  {gates[3].Truth[r]}   {output[r, 0]:F3}   {got}");
}

Console.WriteLine();
Console.WriteLine($"The 2-2-1 network gets {correct}/4 of XOR right.");
string png = XorPlot.SaveDecisionBoundary(network, Path.Combine(outDir, "xor-boundary.png"));
Console.WriteLine($"Decision boundary: {png}");
return correct == 4 ? 0 : 1;

static string? OptionValue(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
