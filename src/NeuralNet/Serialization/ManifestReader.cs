using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>Reads and validates a model archive's manifest and builds the network in two passes: every layer's
/// configuration and tensor list is checked against the archive first, allocating nothing; then the layers are created
/// and their tensors read.</summary>
internal static class ManifestReader
{
    /// <summary>Reads and validates the manifest, then the network and its extras; returns the parsed manifest for checkpoints.</summary>
    internal static SavedModel<T> ReadModel<T>(ArchiveReader archive, out JsonDocument manifest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = archive.Name;
        long manifestLength = archive.DeclaredLength(ModelFile.ManifestEntry, name);
        if (manifestLength > ModelFile.MaxManifestBytes)
        {
            throw new InvalidDataFileException($"{name}: manifest.json declares {manifestLength:N0} bytes, more than the {ModelFile.MaxManifestBytes:N0} allowed.");
        }

        archive.Claim(ModelFile.ManifestEntry, manifestLength, name);
        var bytes = new byte[manifestLength];
        archive.Read(ModelFile.ManifestEntry, bytes, name);

        manifest = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        var root = new JsonSection(manifest.RootElement, $"{name}: manifest");
        string format = root.GetString("format");
        if (format != ModelFile.FormatName)
        {
            throw new InvalidDataFileException($"{name}: manifest format is '{format}', expected '{ModelFile.FormatName}'.");
        }

        int version = root.GetInt("formatVersion", 1, int.MaxValue);
        if (version > ModelFile.CurrentFormatVersion)
        {
            throw new InvalidDataFileException($"{name}: unknown format version {version}; this library (version {ModelFile.LibraryVersion}) reads versions 1 to {ModelFile.CurrentFormatVersion}.");
        }

        string elementType = root.GetString("elementType");
        if (elementType != ModelFile.ElementTypeName<T>())
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

        int inputSize = root.GetInt("inputSize", 1, ModelFile.MaxWidth);
        FeatureShape inputShape = FeatureShape.Flat(inputSize);
        if (version >= 2)
        {
            // Version 2 adds shapes; version 1 files are flat throughout.
            inputShape = ReadShape(root, "inputShape", $"{name}: inputShape");
            if (inputShape.Size != inputSize)
            {
                throw new InvalidDataFileException($"{name}: mismatched shapes: inputShape {inputShape} has {inputShape.Size} features but inputSize is {inputSize}.");
            }
        }
        JsonElement layers = root.GetArray("layers", ModelFile.MaxLayers);
        if (layers.GetArrayLength() == 0)
        {
            throw new InvalidDataFileException($"{name}: manifest lists no layers.");
        }

        // Pass 1: validate every layer's configuration and tensor list against the archive, allocating nothing.
        var plans = new List<(ILayerCodec Codec, JsonSection Config, LayerPlan Plan, string[] Entries, string?[] Digests, FeatureShape Input, string Where)>();
        FeatureShape shape = inputShape;
        int index = 0;
        foreach (JsonElement item in layers.EnumerateArray())
        {
            var layer = new JsonSection(item, $"{name}: layer {index}");
            string kind = layer.GetString("kind");
            string where = $"{name}: layer {index} ({kind})";
            ILayerCodec codec = LayerCodecs.Find(kind)
                ?? throw new InvalidDataFileException($"{name}: layer {index} has unknown kind '{kind}'; known kinds: {string.Join(", ", LayerCodecs.KnownKinds)}.");
            JsonSection config = layer.GetObject("config", where);
            LayerPlan plan = codec.Plan(shape, config);
            if (version >= 2)
            {
                // Each layer receives the previous layer's output shape, so only output shapes are stored.
                FeatureShape declared = ReadShape(layer, "outputShape", $"{where}: outputShape");
                if (declared != plan.OutputShape)
                {
                    throw new InvalidDataFileException($"{where}: mismatched shapes: the manifest says output {declared}, but the configuration on input {shape} gives {plan.OutputShape}.");
                }
            }

            JsonElement tensors = layer.GetArray("tensors", 64);
            if (tensors.GetArrayLength() != plan.Tensors.Length)
            {
                throw new InvalidDataFileException($"{where}: lists {tensors.GetArrayLength()} tensors, a {kind} layer has {plan.Tensors.Length} ({string.Join(", ", plan.Tensors.Select(t => t.Name))}).");
            }

            var entries = new string[plan.Tensors.Length];
            var digests = new string?[plan.Tensors.Length];
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
                    throw new InvalidDataFileException($"{where}: mismatched shapes: tensor {tensorName} is [{rows}x{columns}] in the manifest, but the layer's configuration on input {shape} gives [{spec.Rows}x{spec.Columns}].");
                }

                entries[t] = tensor.GetString("entry");
                digests[t] = tensor.Has("sha256") ? tensor.GetString("sha256") : null;
                archive.Claim(entries[t], spec.Length * Marshal.SizeOf<T>(), where);
                t++;
            }

            plans.Add((codec, config, plan, entries, digests, shape, where));
            shape = plan.OutputShape;
            index++;
        }

        // Pass 2: create the layers and read their tensors.
        var built = new Layer<T>[plans.Count];
        for (int i = 0; i < built.Length; i++)
        {
            var (codec, config, plan, entries, digests, input, where) = plans[i];
            Layer<T> layer = codec.Create<T>(input, config);
            Parameter<T>[] tensors = layer.Parameters.Concat(layer.Buffers).ToArray();
            if (tensors.Length != plan.Tensors.Length)
            {
                throw new InvalidOperationException($"{where}: the codec planned {plan.Tensors.Length} tensors but the layer has {tensors.Length}.");
            }

            for (int t = 0; t < tensors.Length; t++)
            {
                archive.ReadTensor<T>(entries[t], tensors[t].Value, where, digests[t], claimed: true);
            }

            codec.CheckLoaded(layer, where);

            built[i] = layer;
        }

        Network<T> network;
        try
        {
            network = new Network<T>(inputShape, built);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{name}: the layers do not chain: {e.Message}", e);
        }

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

    /// <summary>Reads <c>{"channels": C, "height": H, "width": W}</c>, each at least 1 and the product at most
    /// <see cref="ModelFile.MaxWidth"/>.</summary>
    private static FeatureShape ReadShape(JsonSection parent, string field, string where)
    {
        JsonSection section = parent.GetObject(field, where);
        int c = section.GetInt("channels", 1, ModelFile.MaxWidth);
        int h = section.GetInt("height", 1, ModelFile.MaxWidth);
        int w = section.GetInt("width", 1, ModelFile.MaxWidth);
        if ((long)c * h * w > ModelFile.MaxWidth)
        {
            throw new InvalidDataFileException($"{where}: {c}x{h}x{w} is more than the {ModelFile.MaxWidth:N0} features allowed.");
        }

        return new FeatureShape(c, h, w);
    }

    private static Scaler ReadScaler(JsonSection section, int inputSize)
    {
        string kind = section.GetString("kind");
        double[] shift = section.GetFiniteDoubles("shift", inputSize);
        double[] divisor = section.GetFiniteDoubles("divisor", inputSize);

        // The scaler divides by these; zero gives infinities, a negative value flips the feature, and a subnormal one
        // overflows to infinity for any input of ordinary size: every prediction would be NaN or nonsense.
        int bad = Array.FindIndex(divisor, d => !(d > 0) || !double.IsNormal(d));
        if (bad >= 0)
        {
            throw new InvalidDataFileException(string.Create(CultureInfo.InvariantCulture, $"{section.Where}: divisor[{bad}] is {divisor[bad]:R}; divisors must be positive normal numbers."));
        }

        return Scaler.FromState(kind, shift, divisor)
            ?? throw new InvalidDataFileException($"{section.Where}: unknown scaler kind '{kind}' (known: min_max, standard).");
    }

    private static LabelMap ReadLabels(JsonSection root, string name, int outputs)
    {
        JsonElement array = root.GetArray("classNames", ModelFile.MaxWidth);
        var names = new List<string>(array.GetArrayLength());
        foreach (JsonElement item in array.EnumerateArray())
        {
            names.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new InvalidDataFileException($"{name}: classNames[{names.Count}] must be a string, found {JsonSection.Describe(item)}."));
        }

        if (names.Count == 0 || !ModelFile.ClassCountFits(names.Count, outputs))
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
