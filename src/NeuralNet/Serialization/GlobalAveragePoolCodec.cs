using System.Numerics;
using System.Text.Json;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary><see cref="GlobalAveragePoolLayer{T}"/>: no configuration, no tensors; the output is <c>1 x 1 x C</c>.</summary>
internal sealed class GlobalAveragePoolCodec : ILayerCodec
{
    public string Kind => "global_average_pool";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(GlobalAveragePoolLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    public LayerPlan Plan(FeatureShape input, JsonSection config) => new(FeatureShape.Flat(input.Channels), []);

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new GlobalAveragePoolLayer<T>(input);
}
