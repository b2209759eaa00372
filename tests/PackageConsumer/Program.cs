// A project that knows NeuralNet only through its NuGet packages: trains XOR and checks the result, then exports it to
// ONNX with NeuralNet.Onnx and imports it back.
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Onnx;

var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
Network<double> net = new NetworkBuilder<double>(2).WithSeed(2).AddDense(2, Activation.Tanh).AddDense(1, Activation.Sigmoid).Build();
double loss = 0;
for (int epoch = 0; epoch < 2000; epoch++)
{
    loss = net.ComputeGradients(x, y, Loss.BinaryCrossEntropy);
    foreach (var p in net.Parameters)
    {
        for (int i = 0; i < p.Length; i++)
        {
            p.Value[i] -= 0.5 * p.Gradient[i];
        }
    }
}

Matrix<double> output = net.Predict(x);
bool ok = output[0, 0] < 0.5 && output[1, 0] > 0.5 && output[2, 0] > 0.5 && output[3, 0] < 0.5;
Console.WriteLine($"package consumer: loss {loss:F4}, outputs [{string.Join(", ", output.Column(0).Select(v => v.ToString("F3")))}] -> {(ok ? "OK" : "FAILED")}");

byte[] onnx = OnnxExporter.ToBytes(net);
bool onnxOk = OnnxImporter.Load<double>(onnx).Network.Predict(x).Equals(output);
Console.WriteLine($"package consumer: ONNX export ({onnx.Length} bytes) and import back -> {(onnxOk ? "OK" : "FAILED")}");
return ok && onnxOk ? 0 : 1;
