using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using NeuralNet.Serialization;

namespace NeuralNet.Tests.TestSupport;

/// <summary>Canonical byte forms of what a model file or checkpoint loaded, for "loaded bit-identically" checks, and
/// helpers that rebuild an archive with edits.</summary>
public static class ModelBytes
{
    /// <summary>Everything a loaded model holds: the model re-saved (manifest without its creation time, every entry),
    /// plus the format version, library version and creation time read from the file.</summary>
    public static byte[] Of<T>(SavedModel<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var options = new ModelSaveOptions
            {
                Scaler = model.Scaler,
                Labels = model.Labels,
                Metadata = model.Metadata.ToDictionary(),
                TrainingSummary = model.TrainingSummary.ToDictionary(),
            };
            ManifestWriter.WriteModel(zip, model.Network, options, null);
        }

        var output = new MemoryStream();
        foreach (var (name, bytes) in Entries(buffer.ToArray()))
        {
            output.Write(Encoding.UTF8.GetBytes(name));
            if (name == ModelFile.ManifestEntry)
            {
                JsonObject manifest = JsonNode.Parse(bytes)!.AsObject();
                manifest.Remove("createdUtc");
                output.Write(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
            }
            else
            {
                output.Write(bytes);
            }
        }

        output.Write(Encoding.UTF8.GetBytes($"{model.FormatVersion}|{model.LibraryVersion}|{model.CreatedUtc.UtcTicks}"));
        return output.ToArray();
    }

    /// <summary><see cref="Of{T}(SavedModel{T})"/> plus the optimiser, schedule and early-stopping state.</summary>
    public static byte[] Of<T>(TrainingCheckpoint<T> checkpoint) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = new MemoryStream();
        output.Write(Of(checkpoint.Model));
        var state = checkpoint.OptimizerState;
        output.Write(Encoding.UTF8.GetBytes($"{state.Optimizer}|{state.StepCount}|{checkpoint.EpochsCompleted}|{checkpoint.ScheduleName}"));
        foreach (double[] tensor in state.Tensors)
        {
            output.Write(MemoryMarshal.AsBytes(tensor.AsSpan()));
        }

        output.Write(MemoryMarshal.AsBytes(state.Scalars.ToArray().AsSpan()));
        output.Write(MemoryMarshal.AsBytes((checkpoint.ScheduleState ?? []).ToArray().AsSpan()));
        if (checkpoint.EarlyStopping is { } early)
        {
            output.Write(Encoding.UTF8.GetBytes($"{early.BestEpoch}|{BitConverter.DoubleToInt64Bits(early.BestValue)}|{early.Wait}"));
            output.Write(MemoryMarshal.AsBytes((early.BestWeights ?? []).ToArray().AsSpan()));
        }

        return output.ToArray();
    }

    /// <summary>The entries of a zip archive in order, read with the framework's reader.</summary>
    public static List<(string Name, byte[] Bytes)> Entries(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        return zip.Entries.Select(e =>
        {
            using var ms = new MemoryStream();
            using (Stream s = e.Open())
            {
                s.CopyTo(ms);
            }

            return (e.FullName, ms.ToArray());
        }).ToList();
    }

    /// <summary>Writes entries into a new archive (tensors stored, the rest deflated, as the library writes them).</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                ZipArchiveEntry entry = zip.CreateEntry(name, name.EndsWith(".bin", StringComparison.Ordinal) ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using Stream s = entry.Open();
                s.Write(bytes);
            }
        }

        return ms.ToArray();
    }

    /// <summary>The archive rebuilt with a fixed creation time and fixed entry timestamps, so the same model gives the
    /// same bytes on every run (seeded fuzzing needs the same file as well as the same seed).</summary>
    public static byte[] Pinned(byte[] zipBytes) => WithManifest(zipBytes, m => m["createdUtc"] = "2026-01-01T00:00:00.0000000+00:00");

    /// <summary>The archive with its manifest edited.</summary>
    public static byte[] WithManifest(byte[] zipBytes, Action<JsonObject> edit) =>
        Zip(Entries(zipBytes).Select(e =>
        {
            if (e.Name != ModelFile.ManifestEntry)
            {
                return e;
            }

            JsonObject manifest = JsonNode.Parse(e.Bytes)!.AsObject();
            edit(manifest);
            return (e.Name, Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        }));

    /// <summary>Offset of the data of the stored entry <paramref name="name"/> (after its local header).</summary>
    public static int DataOffset(byte[] zipBytes, string name)
    {
        byte[] pattern = [(byte)'P', (byte)'K', 3, 4];
        for (int i = 0; i + 30 < zipBytes.Length; i++)
        {
            if (zipBytes.AsSpan(i, 4).SequenceEqual(pattern))
            {
                int nameLength = BitConverter.ToUInt16(zipBytes, i + 26), extra = BitConverter.ToUInt16(zipBytes, i + 28);
                if (Encoding.UTF8.GetString(zipBytes, i + 30, nameLength) == name)
                {
                    return i + 30 + nameLength + extra;
                }
            }
        }

        throw new ArgumentException($"no local header for {name}");
    }

    /// <summary>Offset of the central directory record of <paramref name="name"/>.</summary>
    public static int CentralRecord(byte[] zipBytes, string name)
    {
        byte[] pattern = [(byte)'P', (byte)'K', 1, 2];
        for (int i = 0; i + 46 < zipBytes.Length; i++)
        {
            if (zipBytes.AsSpan(i, 4).SequenceEqual(pattern))
            {
                int nameLength = BitConverter.ToUInt16(zipBytes, i + 28);
                if (Encoding.UTF8.GetString(zipBytes, i + 46, nameLength) == name)
                {
                    return i;
                }
            }
        }

        throw new ArgumentException($"no central directory record for {name}");
    }
}
