using System.IO.Compression;
using System.Text;
using NeuralNet.IO;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.IO;

public class GzipReadStreamTests
{
    /// <summary>200,000 bytes of text compressed in two halves with a full flush between them, so the first half is a
    /// valid deflate prefix on its own (the cut <see cref="GZipStream"/> accepts silently).</summary>
    private static (byte[] Plain, byte[] Compressed, int FlushPoint) TwoHalves()
    {
        var random = new Random(7);
        byte[] plain = new byte[200_000];
        for (int i = 0; i < plain.Length; i++)
        {
            plain[i] = (byte)('a' + random.Next(16));
        }

        var buffer = new MemoryStream();
        int flushPoint;
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(plain, 0, 100_000);
            gzip.Flush();
            flushPoint = (int)buffer.Length;
            gzip.Write(plain, 100_000, 100_000);
        }

        return (plain, buffer.ToArray(), flushPoint);
    }

    private static byte[] ReadAll(TempDirectory dir, byte[] file)
    {
        string path = dir.File("data.gz");
        File.WriteAllBytes(path, file);
        using var stream = new GzipReadStream(File.OpenRead(path), "data.gz");
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public void Read_WholeMember_ReturnsThePlainBytes()
    {
        using var dir = new TempDirectory();
        var (plain, compressed, _) = TwoHalves();

        ReadAll(dir, compressed).Should().Equal(plain);
    }

    [Fact]
    public void Read_CutAtFlushPoint_ThrowsTruncated()
    {
        using var dir = new TempDirectory();
        var (_, compressed, flushPoint) = TwoHalves();

        // Sanity: the framework's GZipStream returns the first half of such a file without complaint.
        using (var lenient = new GZipStream(new MemoryStream(compressed[..flushPoint]), CompressionMode.Decompress))
        {
            var half = new MemoryStream();
            lenient.CopyTo(half);
            half.Length.Should().Be(100_000);
        }

        Action act = () => ReadAll(dir, compressed[..flushPoint]);

        act.Should().Throw<InvalidDataFileException>().WithMessage("data.gz: truncated or corrupt gzip file*");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(5000)]
    public void Read_CutInsideTheTail_ThrowsInvalidDataFile(int cut)
    {
        using var dir = new TempDirectory();
        var (_, compressed, _) = TwoHalves();

        Action act = () => ReadAll(dir, compressed[..^cut]);

        act.Should().Throw<InvalidDataFileException>();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(100_000)]
    public void Read_BytesAfterTheMember_ThrowsNamingThem(int extra)
    {
        using var dir = new TempDirectory();
        var (_, compressed, _) = TwoHalves();
        byte[] garbage = new byte[extra];
        new Random(extra).NextBytes(garbage);

        Action act = () => ReadAll(dir, [.. compressed, .. garbage]);

        // Bytes that end within the last 64 before the trailer are counted exactly, earlier ones as a lower bound.
        string count = extra <= 56 ? $"(at least {extra})" : "(at least *)";
        act.Should().Throw<InvalidDataFileException>().WithMessage($"data.gz: unexpected bytes after the end of the gzip data {count}: trailing garbage*");
    }

    [Fact]
    public void Read_SecondMemberWithTheSameTrailer_ThrowsUnexpectedBytes()
    {
        using var dir = new TempDirectory();
        var (_, compressed, _) = TwoHalves();

        // Concatenating the file with itself repeats the trailer at the end, so only the position check can tell.
        Action act = () => ReadAll(dir, [.. compressed, .. compressed]);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*second gzip member*");
    }

    [Fact]
    public void Read_TrailerCrcChanged_ThrowsCorrupt()
    {
        using var dir = new TempDirectory();
        var (_, compressed, _) = TwoHalves();
        compressed[^6] ^= 1;

        Action act = () => ReadAll(dir, compressed);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*CRC-32*");
    }

    [Fact]
    public void Read_HeaderWithNameAndComment_SkipsThem()
    {
        using var dir = new TempDirectory();
        byte[] plain = Encoding.ASCII.GetBytes("hello, gzip");
        var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(plain);
        }

        var crc = new System.IO.Hashing.Crc32();
        crc.Append(plain);
        byte[] header = [0x1F, 0x8B, 8, 8 | 16, 0, 0, 0, 0, 0, 3, .. "name.txt\0"u8, .. "a comment\0"u8];
        byte[] trailer = [.. crc.GetCurrentHash(), .. BitConverter.GetBytes(plain.Length)];

        ReadAll(dir, [.. header, .. deflated.ToArray(), .. trailer]).Should().Equal(plain);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 7, 0 }, "*compression method 7*")]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 0x20 }, "*reserved flag bits*")]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 8 }, "*header runs into the trailer*")]
    public void Read_BadHeader_ThrowsSayingWhat(byte[] start, string message)
    {
        using var dir = new TempDirectory();
        byte[] file = [.. start, .. Enumerable.Repeat((byte)'x', 30)];

        Action act = () => ReadAll(dir, file);

        act.Should().Throw<InvalidDataFileException>().WithMessage(message);
    }
}
