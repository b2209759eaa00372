using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.IO;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// Saves and loads a network with its scaler, class names and metadata in one self-describing, versioned file: a zip
/// archive holding <c>manifest.json</c> (format version, library version, creation time, element type, input size,
/// each layer's kind, configuration and tensor list, scaler, class names, metadata, training summary) and one
/// little-endian binary entry per tensor (<c>layers/{index}/{name}.bin</c>, column-major). The layout is described in
/// <c>docs/data-and-model-files.md</c>.
/// </summary>
/// <remarks>
/// <para>Loading never creates a type named in the file: layer kinds map to a fixed table of known layer types
/// (<c>dense</c>, <c>dropout</c>, <c>batchnorm</c>), and activations and initialisers go through <c>Activation.FromName</c> and <c>Initializer.FromName</c>.</para>
/// <para>Every problem with the content raises <see cref="InvalidDataFileException"/> with a message that names what
/// is wrong and the entry or field: not a zip archive (wrong magic), missing or malformed manifest, unknown format version, wrong element
/// type, unknown layer kind, absurd sizes, tensor shapes that do not match the configuration, truncated or oversized
/// tensor entries (entries are read only up to the size the manifest implies, so a zip bomb cannot expand), and
/// non-finite weights. Sizes are checked against the entries' compressed lengths before anything is allocated.</para>
/// <para>Integrity: duplicate entry names, encrypted entries and entries claimed by two references are rejected; the
/// entries' compressed sizes must fit in the file; what the manifest declares must total at most
/// <see cref="MaxExpansion"/> times the file length, checked before reading; every entry must hold exactly its declared
/// length with the CRC-32 its zip header records; and each tensor must match the SHA-256 digest the manifest records
/// for it (files written before digests, without them, still load). Values that would make every prediction NaN are
/// rejected too: scaler divisors and batch-norm epsilons that are not positive normal numbers.</para>
/// <para>Saving is atomic: the archive is written to a temporary file in the target's directory, flushed to disk and
/// then moved over the target, so a crash during a save leaves the previous file intact; a successful save removes
/// the temporary files that killed saves of the same target left behind (<c>.{name}.{32 hex digits}.tmp</c>).</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this library writes; it reads versions 1 to this one.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>The widest layer or input a model file may declare.</summary>
    internal const int MaxWidth = 1 << 24;

    internal const string ManifestEntry = "manifest.json";
    internal const string FormatName = "neuralnet-model";
    internal const int MaxLayers = 4096;
    internal const long MaxManifestBytes = 16L << 20;

    /// <summary>The most bytes a model file or checkpoint may decompress to, as a multiple of its own length: the
    /// manifest and every entry together. 1032 is deflate's largest expansion ratio, so no honest file comes near it.
    /// Checked from the sizes the manifest declares before anything is read.</summary>
    public const long MaxExpansion = Deflate.MaxRatio;

    /// <summary>Saves <paramref name="network"/> (and the options' scaler, labels and metadata) to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="network">The network; every layer must be of a kind model files know (<c>dense</c>, <c>dropout</c>, <c>batchnorm</c>).</param>
    /// <param name="options">What else to store; nothing when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory; a layer of an unknown type; a scaler or class count that does not fit the
    /// network; a non-finite training summary value or weight.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save<T>(string path, Network<T> network, ModelSaveOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        FilePath.ThrowIfNotFile(path, nameof(path));
        ArgumentNullException.ThrowIfNull(network);
        options ??= new ModelSaveOptions();
        CheckSavable(network, options);
        ZipEntries.WriteArchive(path, zip => ManifestWriter.WriteModel(zip, network, options, null));
    }

    /// <summary>Loads a model saved by <see cref="Save{T}"/> with the same element type.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The network and what was saved beside it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The file is not a valid model file for <typeparamref name="T"/>; the message says why.</exception>
    public static SavedModel<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        FilePath.ThrowIfNotFile(path, nameof(path));
        ThrowHelper.ThrowIfUnsupportedType<T>();
        return ZipEntries.ReadArchive(path, archive =>
        {
            SavedModel<T> model = ManifestReader.ReadModel<T>(archive, out JsonDocument manifest);
            manifest.Dispose();
            return model;
        });
    }

    internal static void CheckSavable<T>(Network<T> network, ModelSaveOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer<T> layer = network.Layers[i];
            if (LayerCodecs.For(layer) is null)
            {
                throw new ArgumentException($"Layer {i} ({layer.GetType().Name}, kind '{layer.Kind}') cannot be saved: model files know the layer kinds {string.Join(", ", LayerCodecs.KnownKinds)}.", nameof(network));
            }

            foreach (Parameter<T> p in layer.Parameters.Concat(layer.Buffers))
            {
                int bad = ZipEntries.IndexOfNonFinite<T>(p.Value);
                if (bad >= 0)
                {
                    throw new ArgumentException($"Layer {i} ({layer.Kind}) tensor {p.Name}[{bad}] is {p.Value[bad]}; a model with non-finite weights cannot be saved.", nameof(network));
                }
            }
        }

        if (options.Scaler is { } scaler)
        {
            if (!scaler.IsFitted || scaler.FeatureCount != network.InputSize)
            {
                throw new ArgumentException($"The scaler must be fitted on {network.InputSize} features (the network's inputs); it has {scaler.FeatureCount}.", nameof(options));
            }
        }

        if (options.Labels is { } labels && !ClassCountFits(labels.Count, network.OutputSize))
        {
            throw new ArgumentException($"{labels.Count} class names do not fit a network with {network.OutputSize} outputs.", nameof(options));
        }

        if (options.TrainingSummary is { } summary)
        {
            foreach (KeyValuePair<string, double> kv in summary)
            {
                if (!double.IsFinite(kv.Value))
                {
                    throw new ArgumentException($"Training summary value '{kv.Key}' is {kv.Value}; values must be finite.", nameof(options));
                }
            }
        }
    }

    /// <summary>One output per class, or one sigmoid output for two classes.</summary>
    internal static bool ClassCountFits(int classes, int outputs) => classes == outputs || (outputs == 1 && classes <= 2);

    internal static string TensorEntryName(int layer, string name) => $"layers/{layer}/{name}.bin";

    internal static string ElementTypeName<T>() => typeof(T) == typeof(float) ? "float32" : "float64";

    internal static string LibraryVersion
    {
        get
        {
            string? version = typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return version is null ? "unknown" : version.Split('+')[0];
        }
    }


}
