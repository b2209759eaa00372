using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary><see cref="DropoutLayer{T}"/>: config <c>rate</c>; no tensors (its mask source is checkpoint state, not model state).</summary>
internal sealed class DropoutCodec : ILayerCodec
{
    public string Kind => "dropout";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(DropoutLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T> =>
        writer.WriteNumber("rate", ((DropoutLayer<T>)layer).Rate);

    public LayerPlan Plan(FeatureShape input, JsonSection config)
    {
        Rate(config);
        return new LayerPlan(input, []);
    }

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new DropoutLayer<T>(input, Rate(config));

    private static double Rate(JsonSection config)
    {
        double rate = config.GetDouble("rate", 0, 1);
        return rate < 1 ? rate : throw new InvalidDataFileException($"{config.Where}: field 'rate' is 1; a dropout rate must be below 1.");
    }
}
