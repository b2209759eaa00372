using System.Buffers.Binary;
using System.IO.Compression;
using NeuralNet.Data;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.IO;

/// <summary>Files built to exhaust memory, each loaded in a child process whose GC heap is capped at 256 MiB: the
/// loader must reject them with <see cref="InvalidDataFileException"/> (exit 2), not run out of memory (exit 3) or
/// crash.</summary>
public class HostileFileTests
{
    private const long HeapLimit = 256L << 20;

    [Fact]
    public void Probe_ValidFile_LoadsUnderTheHeapLimit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ok.csv");
        File.WriteAllText(path, "a,b,y\n1,2,x\n3,4,y\n");

        Probe.Outcome outcome = Probe.Load("csv", path, HeapLimit);

        outcome.ExitCode.Should().Be(0, outcome.ToString());
        outcome.Output.Should().StartWith("loaded: 2");
    }

    [Fact]
    public void CsvLoad_GzipWithA200MegabyteLine_IsRejectedWithinTheHeapLimit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("long-line.csv.gz");

        // 200 MB of digits on one line compress to a fraction of a megabyte; buffered whole as UTF-16 text they would
        // need 400 MB and more.
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write("a,y\n"u8);
            byte[] digits = new byte[1 << 20];
            digits.AsSpan().Fill((byte)'7');
            for (int i = 0; i < 200; i++)
            {
                gzip.Write(digits);
            }

            gzip.Write(",x\n"u8);
        }

        Probe.Outcome outcome = Probe.Load("csv", path, HeapLimit);

        outcome.ExitCode.Should().Be(2, outcome.ToString());
        outcome.Output.Should().Contain("line 2: the record is longer than 1,048,576 characters");
    }

    [Fact]
    public void IdxRead_GzipTrailerForgedToMatchAHugeHeader_IsRejectedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        string path = dir.File("forged.gz");
        var header = new byte[16];
        header[2] = 0x08;
        header[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 600000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 28);
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(header);
            gzip.Write(new byte[100]);
        }

        // The trailer claims the 470,400,016 bytes the header implies, as a forger would write it; a few hundred compressed
        // bytes cannot expand to that (deflate's ratio is at most 1032:1).
        byte[] file = buffer.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), (uint)(16 + 600000L * 28 * 28));
        File.WriteAllBytes(path, file);

        Probe.Outcome outcome = Probe.Load("idx-matrix", path, HeapLimit);

        outcome.ExitCode.Should().Be(2, outcome.ToString());
        outcome.Output.Should().Contain("the file is truncated or corrupt");
    }
}
