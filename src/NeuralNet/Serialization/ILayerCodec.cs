using System.Numerics;
using System.Text.Json;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// Writes and reads one layer kind in model files and checkpoints. The file names the kind; <see cref="LayerCodecs"/>
/// maps the name to a registered codec, which creates a concrete, known type: nothing in a file ever names a .NET type.
/// A codec reads untrusted input: <see cref="Plan"/> validates the configuration and sizes before anything is allocated.
/// </summary>
public interface ILayerCodec
{
    /// <summary>The kind name, as <see cref="Layer{T}.Kind"/> returns it.</summary>
    string Kind { get; }

    /// <summary>Whether <paramref name="layer"/> is exactly the type this codec writes.</summary>
    /// <param name="layer">A layer whose <see cref="Layer{T}.Kind"/> is <see cref="Kind"/>.</param>
    bool Handles<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes the layer's configuration (not its tensors) as properties of the current JSON object.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="writer">Positioned inside the layer's <c>config</c> object.</param>
    void WriteConfig<T>(Layer<T> layer, Utf8JsonWriter writer) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Validates a configuration for an input of shape <paramref name="input"/> and returns what it implies,
    /// allocating nothing in proportion to the sizes it reads.</summary>
    /// <param name="input">The shape the layer receives.</param>
    /// <param name="config">The layer's configuration.</param>
    /// <exception cref="InvalidDataFileException">A field is missing, malformed, out of range, or the layer cannot take
    /// <paramref name="input"/>.</exception>
    LayerPlan Plan(FeatureShape input, JsonSection config);

    /// <summary>Creates the layer from a configuration that <see cref="Plan"/> accepted (tensors are then read into its
    /// <see cref="Layer{T}.Parameters"/> and <see cref="Layer{T}.Buffers"/>).</summary>
    /// <param name="input">The shape the layer receives.</param>
    /// <param name="config">The layer's configuration.</param>
    Layer<T> Create<T>(FeatureShape input, JsonSection config) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Checks constraints on the loaded tensor values beyond finiteness (e.g. non-negative variances).</summary>
    /// <param name="layer">The layer with its tensors read.</param>
    /// <param name="where">Where in the file, for messages.</param>
    /// <exception cref="InvalidDataFileException">A value is unusable.</exception>
    void CheckLoaded<T>(Layer<T> layer, string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }
}
