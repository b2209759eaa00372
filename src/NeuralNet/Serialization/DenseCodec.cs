using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary><see cref="DenseLayer{T}"/>: config <c>units</c>, <c>activation</c> (an <see cref="IActivation.Name"/>),
/// <c>initializer</c>; tensors <c>W</c> [in x units] and <c>b</c> [1 x units].</summary>
internal sealed class DenseCodec : ILayerCodec
{
    public string Kind => "dense";

    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(DenseLayer<T>);

    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = (DenseLayer<T>)layer;
        writer.WriteNumber("units", dense.OutputSize);
        writer.WriteString("activation", dense.Activation.Name);
        writer.WriteString("initializer", dense.WeightInitializer.Name);
    }

    public LayerPlan Plan(FeatureShape input, JsonSection config)
    {
        int units = config.GetInt("units", 1, ModelFile.MaxWidth);
        Activation(config);
        Initializer(config);
        return new LayerPlan(FeatureShape.Flat(units), [new TensorSpec("W", false, input.Size, units), new TensorSpec("b", false, 1, units)]);
    }

    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new DenseLayer<T>(input.Size, config.GetInt("units", 1, ModelFile.MaxWidth), Activation(config), Initializer(config));

    internal static IActivation Activation(JsonSection config)
    {
        string name = config.GetString("activation");
        try
        {
            return Activations.Activation.FromName(name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{config.Where}: unknown activation '{name}'. Known activations: {string.Join(", ", Activations.Activation.KnownNames)}.", e);
        }
    }

    internal static IInitializer Initializer(JsonSection config)
    {
        string name = config.GetString("initializer");
        try
        {
            return Initializers.Initializer.FromName(name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{config.Where}: unknown initializer '{name}'. Known initializers: {string.Join(", ", Initializers.Initializer.KnownNames)}.", e);
        }
    }
}
