using System.Numerics;
using System.Text.Json;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary><see cref="FlattenLayer{T}"/>: no configuration, no tensors; the output is <c>1 x 1 x C·H·W</c>.</summary>
internal sealed class FlattenCodec : ILayerCodec
{
    public string Kind => "flatten";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(FlattenLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    public LayerPlan Plan(FeatureShape input, JsonSection config) => new(FeatureShape.Flat(input.Size), []);

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new FlattenLayer<T>(input);
}
