using System.IO.Compression;
using CsCheck;
using System.Runtime.InteropServices;
using System.Text;
using NeuralNet.Data;
using NeuralNet.Tests.TestSupport;
using Xunit.Abstractions;

namespace NeuralNet.Tests.IO;

/// <summary>Seeded fuzzing of the data readers: every mutated file loads bit-identically or raises
/// <see cref="InvalidDataFileException"/>. Plain CSV and the values of raw IDX carry no checksum, so a changed digit is
/// a different valid file; those are fuzzed in their gzip form, whose CRC-32 covers every byte, and raw IDX only with
/// changes of length, which its exact size check covers.</summary>
public class DataFileFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private static byte[] MatrixBytes(string path)
    {
        var m = IdxFile.ReadMatrix<float>(path);
        return [.. BitConverter.GetBytes(m.RowCount), .. MemoryMarshal.AsBytes(m.AsColumnMajorArray().AsSpan())];
    }

    private static byte[] IdxFileBytes(bool compress)
    {
        using var dir = new TempDirectory();
        var random = new Random(3);
        double[] values = Enumerable.Range(0, 20 * 8 * 8).Select(_ => (double)random.Next(256)).ToArray();
        IdxFile.Write(dir.File("x.idx"), IdxDataType.UnsignedByte, [20, 8, 8], values, compress);
        return File.ReadAllBytes(dir.File("x.idx"));
    }

    [Fact]
    public void IdxGzip_SeededMutations_LoadIdenticallyOrThrowInvalidDataFile()
    {
        byte[] original = IdxFileBytes(compress: true);

        Fuzz.Summary summary = Fuzz.Run("x.idx.gz", original, Fuzz.Mutations(original.Length), MatrixBytes, cases: 700, seed: 0x1D8, Bound);

        output.WriteLine(summary.ToString());
        summary.Rejected.Should().BeGreaterThan(summary.Cases / 2);
    }

    [Fact]
    public void IdxRaw_SeededLengthChanges_ThrowInvalidDataFile()
    {
        byte[] original = IdxFileBytes(compress: false);
        Gen<Mutation> lengthChanges = Gen.Frequency<Mutation>(
            (1, Gen.Int[0, original.Length - 1].Select(n => (Mutation)new Mutation.Truncate(n))),
            (1, Gen.Byte.Array[1, 64].Select(b => (Mutation)new Mutation.Append(b))));

        Fuzz.Summary summary = Fuzz.Run("x.idx", original, lengthChanges, MatrixBytes, cases: 200, seed: 0x1D9, Bound);

        output.WriteLine(summary.ToString());
        summary.Rejected.Should().Be(summary.Cases - summary.Unchanged);
    }

    private static byte[] TableBytes(string path)
    {
        CsvTable<double> table = CsvLoader.Load<double>(path);
        return [.. MemoryMarshal.AsBytes(table.Features.AsColumnMajorArray().AsSpan()), .. Encoding.UTF8.GetBytes(string.Join('\n', table.Labels))];
    }

    [Fact]
    public void CsvGzip_SeededMutations_LoadIdenticallyOrThrowInvalidDataFile()
    {
        var text = new StringBuilder("sepal_length,sepal_width,petal_length,species\n");
        var random = new Random(4);
        for (int i = 0; i < 60; i++)
        {
            text.Append($"{random.Next(40, 80) / 10.0},{random.Next(20, 45) / 10.0},{random.Next(10, 70) / 10.0},{(i % 3 == 0 ? "setosa" : i % 3 == 1 ? "versicolor" : "virginica")}\n");
        }

        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }

        byte[] original = buffer.ToArray();

        Fuzz.Summary summary = Fuzz.Run("iris.csv.gz", original, Fuzz.Mutations(original.Length), TableBytes, cases: 700, seed: 0xC5F, Bound);

        output.WriteLine(summary.ToString());
        summary.Rejected.Should().BeGreaterThan(summary.Cases / 2);
    }
}
