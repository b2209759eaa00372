using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNet.Data;
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
/// is wrong: not a zip archive (wrong magic), missing or malformed manifest, unknown format version, wrong element
/// type, unknown layer kind, absurd sizes, tensor shapes that do not match the configuration, truncated or oversized
/// tensor entries (entries are read only up to the size the manifest implies, so a zip bomb cannot expand), and
/// non-finite weights. Sizes are checked against the entries' compressed lengths before anything is allocated.</para>
/// <para>Saving is atomic: the archive is written to a temporary file in the target's directory, flushed to disk and
/// then moved over the target, so a crash during a save leaves the previous file intact.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this library writes; it reads versions 1 to this one.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The widest layer or input a model file may declare.</summary>
    internal const int MaxWidth = 1 << 24;

    internal const string ManifestEntry = "manifest.json";
    internal const string FormatName = "neuralnet-model";
    private const int MaxLayers = 4096;
    private const long MaxManifestBytes = 16L << 20;

    /// <summary>The largest expansion ratio of deflate (RFC 1951).</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Saves <paramref name="network"/> (and the options' scaler, labels and metadata) to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="network">The network; every layer must be of a kind model files know (<c>dense</c>, <c>dropout</c>, <c>batchnorm</c>).</param>
    /// <param name="options">What else to store; nothing when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A layer of an unknown type; a scaler or class count that does not fit the
    /// network; a non-finite training summary value or weight.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save<T>(string path, Network<T> network, ModelSaveOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(network);
        options ??= new ModelSaveOptions();
        CheckSavable(network, options);
        WriteAtomically(path, zip => WriteModel(zip, network, options, null));
    }

    /// <summary>Loads a model saved by <see cref="Save{T}"/> with the same element type.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The network and what was saved beside it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The file is not a valid model file for <typeparamref name="T"/>; the message says why.</exception>
    public static SavedModel<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        ThrowHelper.ThrowIfUnsupportedType<T>();
        return ReadArchive(path, (zip, name, length) => ReadModel<T>(zip, name, length, out _));
    }

    /// <summary>Opens <paramref name="path"/> as a zip archive and runs <paramref name="read"/>, turning every
    /// decompression, JSON and truncation error into <see cref="InvalidDataFileException"/>.</summary>
    internal static TResult ReadArchive<TResult>(string path, Func<ZipArchive, string, long, TResult> read)
    {
        string name = Path.GetFileName(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = file.Length;
        Span<byte> magic = stackalloc byte[4];
        int got = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4 || magic[0] != (byte)'P' || magic[1] != (byte)'K' || magic[2] != 3 || magic[3] != 4)
        {
            throw new InvalidDataFileException(got < 4
                ? $"{name}: truncated: {length} bytes is too short for a model file."
                : $"{name}: wrong magic number {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}; a model file is a zip archive starting 50 4B 03 04 ('PK').");
        }

        file.Seek(0, SeekOrigin.Begin);
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            return read(zip, name, length);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataFileException($"{name}: corrupt zip archive: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataFileException($"{name}: manifest.json is not valid JSON: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataFileException($"{name}: truncated: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataFileException($"{name}: unsupported zip feature: {e.Message}", e);
        }
    }

    /// <summary>Writes through a temporary file in the same directory, flushed to disk, then moves it over <paramref name="path"/>.</summary>
    internal static void WriteAtomically(string path, Action<ZipArchive> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    write(zip);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
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
                int bad = IndexOfNonFinite<T>(p.Value);
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
    private static bool ClassCountFits(int classes, int outputs) => classes == outputs || (outputs == 1 && classes <= 2);

    /// <summary>Writes the manifest (with <paramref name="extraManifest"/> adding root properties) and every tensor.</summary>
    internal static void WriteModel<T>(ZipArchive zip, Network<T> network, ModelSaveOptions options, Action<Utf8JsonWriter>? extraManifest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ZipArchiveEntry manifestEntry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal);
        using (Stream stream = manifestEntry.Open())
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("formatVersion", CurrentFormatVersion);
            json.WriteString("libraryVersion", LibraryVersion);
            json.WriteString("createdUtc", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("elementType", ElementTypeName<T>());
            json.WriteNumber("inputSize", network.InputSize);
            json.WriteStartArray("layers");
            for (int i = 0; i < network.Layers.Count; i++)
            {
                Layer<T> layer = network.Layers[i];
                ILayerCodec codec = LayerCodecs.For(layer)!;
                json.WriteStartObject();
                json.WriteString("kind", codec.Kind);
                json.WriteStartObject("config");
                codec.WriteConfig(layer, json);
                json.WriteEndObject();
                json.WriteStartArray("tensors");
                WriteTensorEntries(json, i, layer.Parameters, "parameter");
                WriteTensorEntries(json, i, layer.Buffers, "buffer");
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (options.Scaler is { } scaler)
            {
                json.WriteStartObject("scaler");
                json.WriteString("kind", scaler.Kind);
                WriteDoubles(json, "shift", scaler.Shift);
                WriteDoubles(json, "divisor", scaler.Divisor);
                json.WriteEndObject();
            }

            if (options.Labels is { } labels)
            {
                json.WriteStartArray("classNames");
                foreach (string c in labels.ClassNames)
                {
                    json.WriteStringValue(c);
                }

                json.WriteEndArray();
            }

            json.WriteStartObject("metadata");
            foreach (KeyValuePair<string, string> kv in options.Metadata ?? new Dictionary<string, string>())
            {
                json.WriteString(kv.Key, kv.Value);
            }

            json.WriteEndObject();
            json.WriteStartObject("trainingSummary");
            foreach (KeyValuePair<string, double> kv in options.TrainingSummary ?? new Dictionary<string, double>())
            {
                json.WriteNumber(kv.Key, kv.Value);
            }

            json.WriteEndObject();
            extraManifest?.Invoke(json);
            json.WriteEndObject();
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            foreach (Parameter<T> p in network.Layers[i].Parameters.Concat(network.Layers[i].Buffers))
            {
                WriteTensor<T>(zip, TensorEntryName(i, p.Name), p.Value);
            }
        }
    }

    private static void WriteTensorEntries<T>(Utf8JsonWriter json, int layer, IReadOnlyList<Parameter<T>> tensors, string role)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (Parameter<T> p in tensors)
        {
            json.WriteStartObject();
            json.WriteString("name", p.Name);
            json.WriteString("role", role);
            json.WriteNumber("rows", p.Rows);
            json.WriteNumber("columns", p.Columns);
            json.WriteString("entry", TensorEntryName(layer, p.Name));
            json.WriteEndObject();
        }
    }

    private static void WriteDoubles(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (double v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    internal static string TensorEntryName(int layer, string name) => $"layers/{layer}/{name}.bin";

    /// <summary>Writes <paramref name="values"/> little-endian as a stored (uncompressed) entry.</summary>
    internal static void WriteTensor<T>(ZipArchive zip, string entryName, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ZipArchiveEntry entry = zip.CreateEntry(entryName, CompressionLevel.NoCompression);
        using Stream stream = entry.Open();
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        // Big-endian host: reverse the bytes of each element.
        byte[] copy = MemoryMarshal.AsBytes(values).ToArray();
        int size = Marshal.SizeOf<T>();
        for (int i = 0; i < copy.Length; i += size)
        {
            copy.AsSpan(i, size).Reverse();
        }

        stream.Write(copy);
    }

    /// <summary>
    /// Reads an entry of exactly <c>destination.Length</c> little-endian values into <paramref name="destination"/>:
    /// checks the declared sizes first, reads at most one byte more than expected, and rejects non-finite values.
    /// </summary>
    internal static void ReadTensor<T>(ZipArchive zip, string entryName, Span<T> destination, string where, long fileLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ZipArchiveEntry entry = FindEntry(zip, entryName, where);
        long expected = (long)destination.Length * Marshal.SizeOf<T>();
        CheckEntrySize(entry, expected, where, fileLength);
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        using (Stream stream = entry.Open())
        {
            int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length)
            {
                throw new InvalidDataFileException($"{where}: truncated: entry '{entryName}' holds {got:N0} bytes, expected {expected:N0}.");
            }

            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) != 0)
            {
                throw new InvalidDataFileException($"{where}: entry '{entryName}' is longer than the {expected:N0} bytes its shape implies.");
            }
        }

        if (!BitConverter.IsLittleEndian)
        {
            int size = Marshal.SizeOf<T>();
            for (int i = 0; i < destination.Length; i++)
            {
                bytes.Slice(i * size, size).Reverse();
            }
        }

        int bad = IndexOfNonFinite<T>(destination);
        if (bad >= 0)
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' value {bad} is {destination[bad]}; weights must be finite.");
        }
    }

    internal static ZipArchiveEntry FindEntry(ZipArchive zip, string entryName, string where) =>
        zip.GetEntry(entryName) ?? throw new InvalidDataFileException($"{where}: entry '{entryName}' is missing from the archive.");

    /// <summary>Rejects an entry whose declared sizes disagree with <paramref name="expected"/> before any allocation.</summary>
    internal static void CheckEntrySize(ZipArchiveEntry entry, long expected, string where, long fileLength)
    {
        if (entry.Length != expected)
        {
            throw new InvalidDataFileException($"{where}: entry '{entry.FullName}' declares {entry.Length:N0} bytes but its shape implies {expected:N0}.");
        }

        if (entry.CompressedLength > fileLength || expected > entry.CompressedLength * MaxDeflateRatio + 1024)
        {
            throw new InvalidDataFileException($"{where}: entry '{entry.FullName}' claims {expected:N0} bytes from {entry.CompressedLength:N0} compressed bytes in a {fileLength:N0}-byte file; the sizes are impossible.");
        }
    }

    internal static int IndexOfNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    internal static string ElementTypeName<T>() => typeof(T) == typeof(float) ? "float32" : "float64";

    internal static string LibraryVersion
    {
        get
        {
            string? version = typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return version is null ? "unknown" : version.Split('+')[0];
        }
    }

    /// <summary>Reads and validates the manifest, then the network and its extras; returns the parsed manifest for checkpoints.</summary>
    internal static SavedModel<T> ReadModel<T>(ZipArchive zip, string name, long fileLength, out JsonDocument manifest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ZipArchiveEntry manifestEntry = FindEntry(zip, ManifestEntry, name);
        if (manifestEntry.Length > MaxManifestBytes || manifestEntry.Length > manifestEntry.CompressedLength * MaxDeflateRatio + 1024)
        {
            throw new InvalidDataFileException($"{name}: manifest.json declares {manifestEntry.Length:N0} bytes, more than the {MaxManifestBytes:N0} allowed or its compressed size permits.");
        }

        var bytes = new byte[manifestEntry.Length];
        using (Stream stream = manifestEntry.Open())
        {
            int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length || stream.ReadByte() >= 0)
            {
                throw new InvalidDataFileException($"{name}: manifest.json does not hold the {bytes.Length:N0} bytes its header declares.");
            }
        }

        manifest = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        var root = new JsonSection(manifest.RootElement, $"{name}: manifest");
        string format = root.GetString("format");
        if (format != FormatName)
        {
            throw new InvalidDataFileException($"{name}: manifest format is '{format}', expected '{FormatName}'.");
        }

        int version = root.GetInt("formatVersion", 1, int.MaxValue);
        if (version > CurrentFormatVersion)
        {
            throw new InvalidDataFileException($"{name}: unknown format version {version}; this library (version {LibraryVersion}) reads versions 1 to {CurrentFormatVersion}.");
        }

        string elementType = root.GetString("elementType");
        if (elementType != ElementTypeName<T>())
        {
            throw new InvalidDataFileException(elementType is "float32" or "float64"
                ? $"{name}: the file holds {elementType} tensors; load it with ModelFile.Load<{(elementType == "float32" ? "float" : "double")}>."
                : $"{name}: unknown element type '{elementType}' (expected float32 or float64).");
        }

        string libraryVersion = root.GetString("libraryVersion");
        string createdText = root.GetString("createdUtc");
        if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset created))
        {
            throw new InvalidDataFileException($"{name}: manifest field 'createdUtc' is '{createdText}', not a date and time.");
        }

        int inputSize = root.GetInt("inputSize", 1, MaxWidth);
        JsonElement layers = root.GetArray("layers", MaxLayers);
        if (layers.GetArrayLength() == 0)
        {
            throw new InvalidDataFileException($"{name}: manifest lists no layers.");
        }

        // Pass 1: validate every layer's configuration and tensor list against the archive, allocating nothing.
        var plans = new List<(ILayerCodec Codec, JsonSection Config, LayerPlan Plan, string[] Entries, int Input, string Where)>();
        int width = inputSize;
        int index = 0;
        foreach (JsonElement item in layers.EnumerateArray())
        {
            var layer = new JsonSection(item, $"{name}: layer {index}");
            string kind = layer.GetString("kind");
            string where = $"{name}: layer {index} ({kind})";
            ILayerCodec codec = LayerCodecs.Find(kind)
                ?? throw new InvalidDataFileException($"{name}: layer {index} has unknown kind '{kind}'; known kinds: {string.Join(", ", LayerCodecs.KnownKinds)}.");
            JsonSection config = layer.GetObject("config", where);
            LayerPlan plan = codec.Plan(width, config);
            JsonElement tensors = layer.GetArray("tensors", 64);
            if (tensors.GetArrayLength() != plan.Tensors.Length)
            {
                throw new InvalidDataFileException($"{where}: lists {tensors.GetArrayLength()} tensors, a {kind} layer has {plan.Tensors.Length} ({string.Join(", ", plan.Tensors.Select(t => t.Name))}).");
            }

            var entries = new string[plan.Tensors.Length];
            int t = 0;
            foreach (JsonElement tensorItem in tensors.EnumerateArray())
            {
                TensorSpec spec = plan.Tensors[t];
                var tensor = new JsonSection(tensorItem, $"{where} tensor {t}");
                string tensorName = tensor.GetString("name");
                string role = tensor.GetString("role");
                int rows = tensor.GetInt("rows", 1, int.MaxValue), columns = tensor.GetInt("columns", 1, int.MaxValue);
                if (tensorName != spec.Name || role != (spec.IsBuffer ? "buffer" : "parameter"))
                {
                    throw new InvalidDataFileException($"{where}: tensor {t} is {role} '{tensorName}', expected {(spec.IsBuffer ? "buffer" : "parameter")} '{spec.Name}'.");
                }

                if (rows != spec.Rows || columns != spec.Columns)
                {
                    throw new InvalidDataFileException($"{where}: mismatched shapes: tensor {tensorName} is [{rows}x{columns}] in the manifest, but the layer's configuration on {width} inputs gives [{spec.Rows}x{spec.Columns}].");
                }

                entries[t] = tensor.GetString("entry");
                CheckEntrySize(FindEntry(zip, entries[t], where), spec.Length * Marshal.SizeOf<T>(), where, fileLength);
                t++;
            }

            plans.Add((codec, config, plan, entries, width, where));
            width = plan.OutputSize;
            index++;
        }

        // Pass 2: create the layers and read their tensors.
        var built = new Layer<T>[plans.Count];
        for (int i = 0; i < built.Length; i++)
        {
            var (codec, config, plan, entries, input, where) = plans[i];
            Layer<T> layer = codec.Create<T>(input, config);
            Parameter<T>[] tensors = layer.Parameters.Concat(layer.Buffers).ToArray();
            if (tensors.Length != plan.Tensors.Length)
            {
                throw new InvalidOperationException($"{where}: the codec planned {plan.Tensors.Length} tensors but the layer has {tensors.Length}.");
            }

            for (int t = 0; t < tensors.Length; t++)
            {
                ReadTensor<T>(zip, entries[t], tensors[t].Value, where, fileLength);
            }

            codec.CheckLoaded(layer, where);

            built[i] = layer;
        }

        var network = new Network<T>(inputSize, built);
        Scaler? scaler = root.Has("scaler") ? ReadScaler(root.GetObject("scaler", $"{name}: scaler"), inputSize) : null;
        LabelMap? labels = root.Has("classNames") ? ReadLabels(root, name, network.OutputSize) : null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.Has("metadata"))
        {
            foreach (JsonProperty p in root.GetObject("metadata", $"{name}: metadata").Element.EnumerateObject())
            {
                metadata[p.Name] = p.Value.ValueKind == JsonValueKind.String
                    ? p.Value.GetString()!
                    : throw new InvalidDataFileException($"{name}: metadata '{p.Name}' must be a string, found {JsonSection.Describe(p.Value)}.");
            }
        }

        var summary = new Dictionary<string, double>(StringComparer.Ordinal);
        if (root.Has("trainingSummary"))
        {
            foreach (JsonProperty p in root.GetObject("trainingSummary", $"{name}: trainingSummary").Element.EnumerateObject())
            {
                summary[p.Name] = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out double v) && double.IsFinite(v)
                    ? v
                    : throw new InvalidDataFileException($"{name}: training summary '{p.Name}' must be a finite number, found {JsonSection.Describe(p.Value)}.");
            }
        }

        return new SavedModel<T>(network, scaler, labels, metadata, summary, version, libraryVersion, created.ToUniversalTime());
    }

    private static Scaler ReadScaler(JsonSection section, int inputSize)
    {
        string kind = section.GetString("kind");
        double[] shift = section.GetFiniteDoubles("shift", inputSize);
        double[] divisor = section.GetFiniteDoubles("divisor", inputSize);
        int zero = Array.IndexOf(divisor, 0.0);
        if (zero >= 0)
        {
            throw new InvalidDataFileException($"{section.Where}: divisor[{zero}] is 0.");
        }

        return Scaler.FromState(kind, shift, divisor)
            ?? throw new InvalidDataFileException($"{section.Where}: unknown scaler kind '{kind}' (known: min_max, standard).");
    }

    private static LabelMap ReadLabels(JsonSection root, string name, int outputs)
    {
        JsonElement array = root.GetArray("classNames", MaxWidth);
        var names = new List<string>(array.GetArrayLength());
        foreach (JsonElement item in array.EnumerateArray())
        {
            names.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new InvalidDataFileException($"{name}: classNames[{names.Count}] must be a string, found {JsonSection.Describe(item)}."));
        }

        if (names.Count == 0 || !ClassCountFits(names.Count, outputs))
        {
            throw new InvalidDataFileException($"{name}: {names.Count} class names do not fit a network with {outputs} outputs.");
        }

        try
        {
            return new LabelMap(names);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{name}: classNames: {e.Message}", e);
        }
    }
}
