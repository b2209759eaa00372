using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>A tensor a layer of a given configuration owns: name, trainable or buffer, and shape.</summary>
internal readonly record struct TensorSpec(string Name, bool IsBuffer, int Rows, int Columns)
{
    public long Length => (long)Rows * Columns;
}

/// <summary>What a layer configuration implies, worked out without allocating: its output size and tensors.</summary>
internal readonly record struct LayerPlan(int OutputSize, TensorSpec[] Tensors);

/// <summary>
/// Writes and reads one known layer kind. The file names the kind; the registry maps the name to one of these codecs,
/// which creates a concrete, known type: nothing in a file ever names a .NET type.
/// </summary>
internal interface ILayerCodec
{
    /// <summary>The kind name, as <see cref="Layer{T}.Kind"/> returns it.</summary>
    string Kind { get; }

    /// <summary>Whether <paramref name="layer"/> is exactly the type this codec writes.</summary>
    bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes the layer's configuration (not its tensors) as properties of the current JSON object.</summary>
    void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Validates a configuration and returns what it implies; throws <see cref="InvalidDataFileException"/>.</summary>
    LayerPlan Plan(int inputSize, JsonSection config);

    /// <summary>Creates the layer from a configuration that <see cref="Plan"/> accepted.</summary>
    Layer<T> Create<T>(int inputSize, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Checks constraints on the loaded tensor values beyond finiteness (e.g. non-negative variances); throws
    /// <see cref="InvalidDataFileException"/>.</summary>
    void CheckLoaded<T>(Layer<T> layer, string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }
}

/// <summary>The table of layer kinds a model file may contain. Adding a layer type is one codec and one line here.</summary>
internal static class LayerCodecs
{
    private static readonly Dictionary<string, ILayerCodec> ByKind = new(StringComparer.Ordinal)
    {
        ["dense"] = new DenseCodec(),
        ["dropout"] = new DropoutCodec(),
        ["batchnorm"] = new BatchNormCodec(),
    };

    public static IEnumerable<string> KnownKinds => ByKind.Keys.Order(StringComparer.Ordinal);

    public static ILayerCodec? Find(string kind) => ByKind.GetValueOrDefault(kind);

    /// <summary>The codec that writes <paramref name="layer"/>, or null for a layer type model files do not know.</summary>
    public static ILayerCodec? For<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> =>
        ByKind.TryGetValue(layer.Kind, out ILayerCodec? codec) && codec.Handles(layer) ? codec : null;
}
