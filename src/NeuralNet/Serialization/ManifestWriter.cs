using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>Writes a model archive: <c>manifest.json</c> (format, versions, element type, input shape, each layer's
/// kind, shapes, configuration and tensor list, scaler, class names, metadata, training summary) and one little-endian
/// entry per tensor.</summary>
internal static class ManifestWriter
{
    /// <summary>Writes the manifest (with <paramref name="extraManifest"/> adding root properties) and every tensor.</summary>
    internal static void WriteModel<T>(ZipArchive zip, Network<T> network, ModelSaveOptions options, Action<Utf8JsonWriter>? extraManifest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ZipArchiveEntry manifestEntry = zip.CreateEntry(ModelFile.ManifestEntry, CompressionLevel.Optimal);
        using (Stream stream = manifestEntry.Open())
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", ModelFile.FormatName);
            json.WriteNumber("formatVersion", ModelFile.CurrentFormatVersion);
            json.WriteString("libraryVersion", ModelFile.LibraryVersion);
            json.WriteString("createdUtc", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("elementType", ModelFile.ElementTypeName<T>());
            json.WriteNumber("inputSize", network.InputSize);
            WriteShape(json, "inputShape", network.InputShape);
            json.WriteStartArray("layers");
            for (int i = 0; i < network.Layers.Count; i++)
            {
                Layer<T> layer = network.Layers[i];
                ILayerCodec codec = LayerCodecs.For(layer)!;
                json.WriteStartObject();
                json.WriteString("kind", codec.Kind);
                WriteShape(json, "outputShape", layer.OutputShape);
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
                ZipEntries.WriteTensor<T>(zip, ModelFile.TensorEntryName(i, p.Name), p.Value);
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
            json.WriteString("entry", ModelFile.TensorEntryName(layer, p.Name));
            json.WriteString("sha256", ArchiveReader.Digest<T>(p.Value));
            json.WriteEndObject();
        }
    }

    /// <summary>Writes <c>"name": {"channels": C, "height": H, "width": W}</c> (format version 2).</summary>
    private static void WriteShape(Utf8JsonWriter json, string name, FeatureShape shape)
    {
        json.WriteStartObject(name);
        json.WriteNumber("channels", shape.Channels);
        json.WriteNumber("height", shape.Height);
        json.WriteNumber("width", shape.Width);
        json.WriteEndObject();
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
}
