using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using NeuralNet.Data;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Serialization;

/// <summary>Hostile and broken model files: each must raise <see cref="InvalidDataFileException"/> saying what is wrong.</summary>
public class ModelFileMalformedTests
{
    /// <summary>The entries of a valid float model file (5 -> 6 -> 4 -> 3 -> 3) with labels and a scaler.</summary>
    private static Dictionary<string, byte[]> ValidEntries()
    {
        using var dir = new TempDirectory();
        string path = dir.File("valid.nnm");
        var scaler = new MinMaxScaler();
        scaler.Fit(MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(4, 5, (i, j) => i + j));
        ModelFile.Save(path, ModelFileTests.Sample<float>(), new ModelSaveOptions { Scaler = scaler, Labels = new LabelMap(["a", "b", "c"]) });
        using ZipArchive zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var ms = new MemoryStream();
            using (Stream s = e.Open())
            {
                s.CopyTo(ms);
            }

            return ms.ToArray();
        });
    }

    private static byte[] Zip(Dictionary<string, byte[]> entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using Stream s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                s.Write(bytes);
            }
        }

        return ms.ToArray();
    }

    private static byte[] WithManifest(Action<JsonObject> edit)
    {
        Dictionary<string, byte[]> entries = ValidEntries();
        JsonObject manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
        edit(manifest);
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return Zip(entries);
    }

    private static byte[] WithEntry(string name, byte[]? content)
    {
        Dictionary<string, byte[]> entries = ValidEntries();
        if (content is null)
        {
            entries.Remove(name);
        }
        else
        {
            entries[name] = content;
        }

        return Zip(entries);
    }

    private static byte[] WeightsWith(float value)
    {
        byte[] w = ValidEntries()["layers/0/W.bin"];
        BitConverter.GetBytes(value).CopyTo(w, 4 * 7);
        return WithEntry("layers/0/W.bin", w);
    }

    private static JsonObject Layer(JsonObject m, int i) => m["layers"]![i]!.AsObject();

    public static TheoryData<string, Func<byte[]>, string> Cases() => new()
    {
        { "empty file", () => [], "*truncated*" },
        { "PNG header", () => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "*wrong magic number 89 50 4E 47*" },
        { "zip magic then garbage", () => [.. "PK\u0003\u0004"u8, .. Enumerable.Repeat((byte)0xAB, 300)], "*corrupt zip*" },
        { "truncated archive", () => { byte[] b = Zip(ValidEntries()); return b[..(b.Length / 2)]; }, "*corrupt zip*" },
        { "no manifest", () => WithEntry("manifest.json", null), "*entry 'manifest.json' is missing*" },
        { "manifest not JSON", () => WithEntry("manifest.json", "{ \"format\": "u8.ToArray()), "*not valid JSON*" },
        { "manifest nested too deep", () => WithEntry("manifest.json", Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100))), "*not valid JSON*" },
        { "other format", () => WithManifest(m => m["format"] = "keras"), "*format is 'keras'*" },
        { "unknown version", () => WithManifest(m => m["formatVersion"] = 99), "*unknown format version 99*" },
        { "version missing", () => WithManifest(m => m.Remove("formatVersion")), "*'formatVersion' is missing*" },
        { "version is text", () => WithManifest(m => m["formatVersion"] = "one"), "*'formatVersion' must be an integer*" },
        { "other element type", () => WithManifest(m => m["elementType"] = "float64"), "*holds float64 tensors*Load<double>*" },
        { "unknown element type", () => WithManifest(m => m["elementType"] = "int8"), "*unknown element type 'int8'*" },
        { "unknown layer kind", () => WithManifest(m => Layer(m, 1)["kind"] = "lstm"), "*layer 1 has unknown kind 'lstm'*" },
        { "type name as kind", () => WithManifest(m => Layer(m, 0)["kind"] = "System.IO.FileInfo, System.IO"), "*unknown kind 'System.IO.FileInfo*" },
        { "unknown activation", () => WithManifest(m => Layer(m, 2)["config"]!["activation"] = "System.Diagnostics.Process"), "*unknown activation*" },
        { "absurd units", () => WithManifest(m => Layer(m, 0)["config"]!["units"] = 2_000_000_000), "*'units' is 2000000000, outside*" },
        { "absurd input size", () => WithManifest(m => m["inputSize"] = -1), "*'inputSize' is -1*" },
        { "huge layer, small entry", () => WithManifest(m => { m["inputSize"] = 1 << 24; m["inputShape"]!["width"] = 1 << 24; Layer(m, 0)["tensors"]![0]!["rows"] = 1 << 24; }), "*declares 120 bytes but its shape implies 402,653,184*" },
        { "no layers", () => WithManifest(m => m["layers"] = new JsonArray()), "*no layers*" },
        { "mismatched tensor shape", () => WithManifest(m => Layer(m, 1)["tensors"]![0]!["rows"] = 7), "*mismatched shapes*[7x4]*[6x4]*" },
        { "sizes do not chain", () => WithManifest(m => Layer(m, 0)["config"]!["units"] = 7), "*mismatched shapes*" },
        { "tensor list short", () => WithManifest(m => Layer(m, 0)["tensors"]!.AsArray().RemoveAt(1)), "*lists 1 tensors, a dense layer has 2*" },
        { "tensor renamed", () => WithManifest(m => Layer(m, 0)["tensors"]![1]!["name"] = "bias"), "*'bias', expected parameter 'b'*" },
        { "tensor entry missing", () => WithEntry("layers/2/W.bin", null), "*entry 'layers/2/W.bin' is missing*" },
        { "tensor truncated", () => WithEntry("layers/0/W.bin", new byte[100]), "*declares 100 bytes but its shape implies 120*" },
        { "tensor too long", () => WithEntry("layers/0/b.bin", new byte[28]), "*declares 28 bytes but its shape implies 24*" },
        { "zip bomb in tensor", () => WithEntry("layers/0/W.bin", new byte[64 << 20]), "*declares 67,108,864 bytes but its shape implies 120*" },
        { "NaN weight", () => WeightsWith(float.NaN), "*value 7 is NaN*" },
        { "infinite weight", () => WeightsWith(float.PositiveInfinity), "*value 7 is Infinity*" },
        { "scaler wrong length", () => WithManifest(m => m["scaler"]!["shift"]!.AsArray().RemoveAt(0)), "*'shift' has 4 values, expected 5*" },
        { "scaler unknown kind", () => WithManifest(m => m["scaler"]!["kind"] = "robust"), "*unknown scaler kind 'robust'*" },
        { "scaler zero divisor", () => WithManifest(m => m["scaler"]!["divisor"]![2] = 0), "*divisor[2] is 0*" },
        { "class count mismatch", () => WithManifest(m => m["classNames"]!.AsArray().Add("d")), "*4 class names do not fit a network with 3 outputs*" },
        { "duplicate class names", () => WithManifest(m => m["classNames"]![2] = "a"), "*classNames*appears twice*" },
        { "metadata not text", () => WithManifest(m => m["metadata"]!["x"] = 3), "*metadata 'x' must be a string*" },
        { "bad creation time", () => WithManifest(m => m["createdUtc"] = "yesterday"), "*'createdUtc' is 'yesterday'*" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_MalformedFile_ThrowsInvalidDataFileSayingWhatIsWrong(string description, Func<byte[]> content, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.nnm");
        File.WriteAllBytes(path, content());

        Action act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataFileException>(description).WithMessage(message);
    }

    [Fact]
    public void Load_ValidEntriesRezipped_Loads()
    {
        // The harness itself: the unmodified entries re-zipped load fine, so each case above fails for its own reason.
        using var dir = new TempDirectory();
        string path = dir.File("ok.nnm");
        File.WriteAllBytes(path, Zip(ValidEntries()));

        ModelFile.Load<float>(path).Network.OutputSize.Should().Be(3);
    }
}
