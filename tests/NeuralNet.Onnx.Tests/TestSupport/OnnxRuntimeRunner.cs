using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>Runs an ONNX model in ONNX Runtime (CPU) on a batch and returns its outputs.</summary>
public static class OnnxRuntimeRunner
{
    /// <summary>Runs <paramref name="model"/> on <paramref name="input"/> (rows are samples) and returns the first output
    /// as a matrix and, when the model has one, the int64 ArgMax output.</summary>
    /// <param name="model">The model's bytes.</param>
    /// <param name="input">The batch, one sample per row (C*H*W values in NCHW order for image inputs).</param>
    /// <param name="sampleDims">The dimensions of one sample when the graph's input has more than two (e.g. [2, 3, 3]).</param>
    public static (Matrix<T> Output, long[]? ArgMax) Run<T>(byte[] model, Matrix<T> input, int[]? sampleDims = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        string inputName = session.InputMetadata.Keys.Single();
        var tensor = new DenseTensor<T>([input.RowCount, input.ColumnCount]);
        for (int r = 0; r < input.RowCount; r++)
        {
            for (int c = 0; c < input.ColumnCount; c++)
            {
                tensor[r, c] = input[r, c];
            }
        }

        Tensor<T> fed = sampleDims is null ? tensor : tensor.Reshape([input.RowCount, .. sampleDims]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, fed)]);
        var output = results.First().AsTensor<T>();
        var matrix = Matrix<T>.Build.Dense(output.Dimensions[0], output.Dimensions[1], (r, c) => output[r, c]);
        long[]? argMax = results.Count > 1 ? results.ElementAt(1).AsTensor<long>().ToArray() : null;
        return (matrix, argMax);
    }
}
