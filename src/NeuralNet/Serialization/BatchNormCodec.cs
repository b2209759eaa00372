using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary><see cref="BatchNormLayer{T}"/>: config <c>momentum</c>, <c>epsilon</c>; parameters <c>gamma</c>, <c>beta</c>
/// and buffers <c>running_mean</c>, <c>running_variance</c>, each [1 x units].</summary>
internal sealed class BatchNormCodec : ILayerCodec
{
    public string Kind => "batchnorm";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(BatchNormLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bn = (BatchNormLayer<T>)layer;
        writer.WriteNumber("momentum", bn.Momentum);
        writer.WriteNumber("epsilon", bn.Epsilon);
    }

    public LayerPlan Plan(FeatureShape input, JsonSection config)
    {
        Settings(config);
        int inputSize = input.Size;
        return new LayerPlan(FeatureShape.Flat(inputSize),
        [
            new TensorSpec("gamma", false, 1, inputSize),
            new TensorSpec("beta", false, 1, inputSize),
            new TensorSpec("running_mean", true, 1, inputSize),
            new TensorSpec("running_variance", true, 1, inputSize),
        ]);
    }

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (momentum, epsilon) = Settings(config);

        // The layer divides by sqrt(variance + epsilon) in T: an epsilon that is subnormal or zero in T (1e-40 is normal
        // as a double but not as a float) gives infinities wherever the variance is 0.
        if (!T.IsNormal(T.CreateTruncating(epsilon)))
        {
            throw new InvalidDataFileException(string.Create(CultureInfo.InvariantCulture, $"{config.Where}: field 'epsilon' is {epsilon:R}, which is not a positive normal number in {typeof(T).Name}."));
        }

        return new BatchNormLayer<T>(input.Size, momentum, epsilon);
    }

    public void CheckLoaded<T>(Layer<T> layer, string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> variance = layer.Buffers[1].Value;
        for (int i = 0; i < variance.Length; i++)
        {
            if (variance[i] < T.Zero)
            {
                throw new InvalidDataFileException($"{where}: running_variance[{i}] is {variance[i]}; a variance cannot be negative.");
            }
        }
    }

    private static (double Momentum, double Epsilon) Settings(JsonSection config)
    {
        double momentum = config.GetDouble("momentum", 0, 1);
        double epsilon = config.GetDouble("epsilon", double.Epsilon, 1e6);
        if (!double.IsNormal(epsilon))
        {
            throw new InvalidDataFileException(string.Create(CultureInfo.InvariantCulture, $"{config.Where}: field 'epsilon' is {epsilon:R}, a subnormal number; it must be a positive normal number."));
        }

        return momentum < 1 ? (momentum, epsilon) : throw new InvalidDataFileException($"{config.Where}: field 'momentum' is 1; it must be below 1.");
    }
}
