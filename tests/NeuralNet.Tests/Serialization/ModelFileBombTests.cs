using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using NeuralNet.Activations;
using NeuralNet.Serialization;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Serialization;

/// <summary>Model files built to exhaust memory, loaded in a child process whose GC heap is capped at 256 MiB.</summary>
public class ModelFileBombTests
{
    private const long HeapLimit = 256L << 20;
    private const int Width = 2048, Layers = 24;

    /// <summary>A small file whose manifest describes <see cref="Layers"/> dense layers of <see cref="Width"/> x
    /// <see cref="Width"/> floats (16 MiB each, 384 MiB in all) whose weights all point at one deflated entry of zeros
    /// (16 MiB that compress to about 16 KB). Every entry's own sizes are honest; only the sharing makes it a bomb.</summary>
    private static byte[] SharedEntryBomb()
    {
        using var dir = new TempDirectory();
        ModelFile.Save(dir.File("seed.nnm"), new NetworkBuilder<float>(4).WithSeed(1).AddDense(4, Activation.Identity).Build());
        JsonObject manifest = JsonNode.Parse(ModelBytes.Entries(File.ReadAllBytes(dir.File("seed.nnm"))).Single(e => e.Name == ModelFile.ManifestEntry).Bytes)!.AsObject();
        JsonNode Shape() => new JsonObject { ["channels"] = 1, ["height"] = 1, ["width"] = Width };
        manifest["inputSize"] = Width;
        manifest["inputShape"] = Shape();
        JsonObject template = manifest["layers"]![0]!.AsObject();
        var layers = new JsonArray();
        for (int i = 0; i < Layers; i++)
        {
            JsonObject layer = template.DeepClone().AsObject();
            layer["config"]!["units"] = Width;
            layer["outputShape"] = Shape();
            JsonArray tensors = layer["tensors"]!.AsArray();
            tensors[0]!["rows"] = Width;
            tensors[0]!["columns"] = Width;
            tensors[0]!["entry"] = "w.bin";
            tensors[1]!["columns"] = Width;
            tensors[1]!["entry"] = $"b{i}.bin";
            tensors[0]!.AsObject().Remove("sha256");
            tensors[1]!.AsObject().Remove("sha256");
            layers.Add(layer);
        }

        manifest["layers"] = layers;
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (Stream s = zip.CreateEntry(ModelFile.ManifestEntry).Open())
            {
                s.Write(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
            }

            using (Stream s = zip.CreateEntry("w.bin", CompressionLevel.SmallestSize).Open())
            {
                s.Write(new byte[Width * Width * sizeof(float)]);
            }

            for (int i = 0; i < Layers; i++)
            {
                using Stream s = zip.CreateEntry($"b{i}.bin", CompressionLevel.SmallestSize).Open();
                s.Write(new byte[Width * sizeof(float)]);
            }
        }

        return ms.ToArray();
    }

    [Fact]
    public void Load_ManyTensorsSharingOneDeflatedEntry_IsRejectedWithinTheHeapLimit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bomb.nnm");
        byte[] bomb = SharedEntryBomb();
        File.WriteAllBytes(path, bomb);
        bomb.Length.Should().BeLessThan(64 << 10, "the bomb is a small file");

        Probe.Outcome outcome = Probe.Load("model-float", path, HeapLimit);

        outcome.ExitCode.Should().Be(2, outcome.ToString());
        outcome.Output.Should().Contain("entry 'w.bin' is referenced twice");
    }

    [Fact]
    public void Load_ValidModel_LoadsUnderTheHeapLimit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ok.nnm");
        ModelFile.Save(path, ModelFileTests.Sample<float>());

        Probe.Outcome outcome = Probe.Load("model-float", path, HeapLimit);

        outcome.ExitCode.Should().Be(0, outcome.ToString());
    }
}
