using NeuralNet.Activations;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Layers;
using NeuralNet.Onnx.Activations;
using NeuralNet.Serialization;

namespace NeuralNet.Onnx.Layers;

/// <summary>
/// Model-file codec of <see cref="ActivationLayer{T}"/>, kind <c>activation</c>: config <c>activation</c> (a name
/// <c>Activation.FromName</c> resolves); no tensors. Registered when the first activation layer is created or an ONNX
/// model is imported, so imported networks save and load like built ones.
/// </summary>
public sealed class ActivationLayerCodec : ILayerCodec
{
    /// <summary>The layer kind.</summary>
    public const string KindName = "activation";

    private ActivationLayerCodec() { }

    /// <summary>The registered instance.</summary>
    public static ActivationLayerCodec Instance { get; } = new();

    /// <inheritdoc />
    public string Kind => KindName;

    /// <summary>Registers this codec and the package's activations (<c>log_softmax</c>) with the core;
    /// idempotent. Call it before loading a model file with activation layers in a process that has not touched
    /// the ONNX package yet.</summary>
    public static void EnsureRegistered()
    {
        LayerCodecs.Register(Instance);
        LogSoftmax.Register();
    }

    /// <inheritdoc />
    public bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer.GetType() == typeof(ActivationLayer<T>);

    /// <inheritdoc />
    public void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("activation", ((ActivationLayer<T>)layer).Activation.Name);
    }

    /// <inheritdoc />
    public LayerPlan Plan(FeatureShape input, JsonSection config)
    {
        Activation(config);
        return new LayerPlan(input, []);
    }

    /// <inheritdoc />
    public Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T> =>
        new ActivationLayer<T>(input, Activation(config));

    private static IActivation Activation(JsonSection config)
    {
        string name = config.GetString("activation");
        try
        {
            return NeuralNet.Activations.Activation.FromName(name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{config.Where}: field 'activation': {e.Message}", e);
        }
    }
}
