using System.Buffers.Binary;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Data;

public class IdxFileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadMatrix_WrittenUnsignedBytes_RoundTripsRowMajorIntoRows(bool compress)
    {
        using var dir = new TempDirectory();
        string path = dir.File(compress ? "images.gz" : "images");

        // Three 2x2 "images": image i holds 10i, 10i+1, 10i+2, 10i+3 in row-major order.
        double[] values = [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23];
        IdxFile.Write(path, IdxDataType.UnsignedByte, [3, 2, 2], values, compress);

        Matrix<float> m = IdxFile.ReadMatrix<float>(path, scale: 0.5);

        m.RowCount.Should().Be(3);
        m.ColumnCount.Should().Be(4);
        m.Row(1).ToArray().Should().Equal(5f, 5.5f, 6f, 6.5f); // (10, 11, 12, 13) * 0.5
        IdxFile.ReadDimensions(path, out IdxDataType type).Should().Equal(3, 2, 2);
        type.Should().Be(IdxDataType.UnsignedByte);
    }

    [Theory]
    [InlineData(IdxDataType.SignedByte, -7.0)]
    [InlineData(IdxDataType.Int16, -300.0)]
    [InlineData(IdxDataType.Int32, 70000.0)]
    [InlineData(IdxDataType.Single, 0.25)]
    [InlineData(IdxDataType.Double, 0.1)]
    public void ReadMatrix_EveryElementType_RoundTrips(IdxDataType type, double value)
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.idx");
        IdxFile.Write(path, type, [2], [value, 3], compress: false);

        Matrix<double> m = IdxFile.ReadMatrix<double>(path);

        m.ToColumnMajorArray().Should().Equal(value, 3.0);
    }

    [Fact]
    public void LoadDataset_ImagesAndLabels_PairsThemAndCapsSamples()
    {
        using var dir = new TempDirectory();
        IdxFile.Write(dir.File("x.gz"), IdxDataType.UnsignedByte, [4, 1, 2], [0, 255, 51, 102, 1, 2, 3, 4], compress: true);
        IdxFile.Write(dir.File("y.gz"), IdxDataType.UnsignedByte, [4], [7, 1, 0, 9], compress: true);

        Dataset<float> data = IdxFile.LoadDataset<float>(dir.File("x.gz"), dir.File("y.gz"), maxSamples: 3);

        data.Count.Should().Be(3);
        data.Features.Row(1).ToArray().Should().Equal(0.2f, 0.4f); // 51/255, 102/255
        data.Targets.Column(0).ToArray().Should().Equal(7f, 1f, 0f);
    }

    [Fact]
    public void LoadDataset_CountsDisagree_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        IdxFile.Write(dir.File("x"), IdxDataType.UnsignedByte, [2, 1], [1, 2]);
        IdxFile.Write(dir.File("y"), IdxDataType.UnsignedByte, [3], [0, 1, 2]);

        Action act = () => IdxFile.LoadDataset<float>(dir.File("x"), dir.File("y"));

        act.Should().Throw<InvalidDataFileException>().WithMessage("*2 samples*3 labels*");
    }

    [Fact]
    public void ReadLabels_TwoDimensions_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        IdxFile.Write(dir.File("y"), IdxDataType.UnsignedByte, [2, 2], [0, 1, 2, 3]);

        Action act = () => IdxFile.ReadLabels(dir.File("y"));

        act.Should().Throw<InvalidDataFileException>().WithMessage("*one dimension*");
    }

    [Fact]
    public void ReadLabels_NegativeLabel_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        IdxFile.Write(dir.File("y"), IdxDataType.SignedByte, [2], [0, -1]);

        Action act = () => IdxFile.ReadLabels(dir.File("y"));

        act.Should().Throw<InvalidDataFileException>().WithMessage("*label 1 is -1*");
    }

    public static TheoryData<string, byte[], string> MalformedFiles()
    {
        byte[] Header(byte type, params int[] dims)
        {
            var bytes = new byte[4 + 4 * dims.Length];
            bytes[2] = type;
            bytes[3] = (byte)dims.Length;
            for (int i = 0; i < dims.Length; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
            }

            return bytes;
        }

        byte[] Concat(byte[] a, int extra) => [.. a, .. new byte[extra]];

        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "*truncated*" },
            { "wrong magic", [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, 0, 1], "*wrong magic*" },
            { "unknown element type", Concat(Header(0x07, 2), 2), "*unknown IDX element type 0x07*" },
            { "zero dimensions", Header(0x08), "*0 dimensions*" },
            { "zero dimension size", Header(0x08, 0), "*dimension 0 is 0*" },
            { "negative dimension", Header(0x08, -5), "*dimension 0 is -5*" },
            { "header cut inside dimensions", Header(0x08, 10, 10)[..9], "*dimension 1 of 2 is missing*" },
            { "absurd dimensions", Header(0x08, 1 << 30, 1 << 30, 1 << 30), "*absurd dimensions*" },
            { "huge claim, tiny file", Concat(Header(0x08, 60000, 28, 28), 100), "*truncated*47,040,016*" },
            { "trailing bytes", Concat(Header(0x08, 3), 5), "*2 unexpected bytes*" },
            { "truncated data", Concat(Header(0x0D, 4), 15), "*truncated*" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void ReadMatrix_MalformedRawFile_ThrowsInvalidDataFileSayingWhy(string description, byte[] content, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.idx");
        File.WriteAllBytes(path, content);

        Action act = () => IdxFile.ReadMatrix<float>(path);

        act.Should().Throw<InvalidDataFileException>(description).WithMessage(message);
    }

    [Fact]
    public void ReadMatrix_GzipClaimingMoreThanItsTrailer_ThrowsBeforeAllocating()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bomb.gz");

        // The header claims 20000 x 20000 bytes (400 MB); the gzip trailer records the 12 bytes actually compressed.
        var header = new byte[12];
        header[2] = 0x08;
        header[3] = 2;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 20000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 20000);
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Optimal))
        {
            gz.Write(header);
        }

        Action act = () => IdxFile.ReadMatrix<float>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*gzip trailer*");
    }

    [Fact]
    public void ReadMatrix_CorruptGzipBody_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("corrupt.gz");
        IdxFile.Write(path, IdxDataType.UnsignedByte, [64, 64], Enumerable.Range(0, 4096).Select(i => (double)(i * 7 % 256)).ToArray(), compress: true);
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = 20; i < bytes.Length - 8; i += 3)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(path, bytes);

        Action act = () => IdxFile.ReadMatrix<float>(path);

        act.Should().Throw<InvalidDataFileException>();
    }

    [Fact]
    public void ReadMatrix_NullPath_ThrowsArgumentNull()
    {
        Action act = () => IdxFile.ReadMatrix<float>(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("path");
    }

    [Fact]
    public void Write_ValuesDisagreeWithDimensions_ThrowsArgument()
    {
        using var dir = new TempDirectory();

        Action act = () => IdxFile.Write(dir.File("x"), IdxDataType.UnsignedByte, [2, 2], [1, 2, 3]);

        act.Should().Throw<ArgumentException>().WithParameterName("values");
    }

    [Fact]
    public void ReadMatrix_GzipCutAtAFlushPoint_ThrowsTruncated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.gz");

        // Header and first image flushed, then the second image; keep only what precedes the flush.
        var header = new byte[12];
        header[2] = 0x08;
        header[3] = 2;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 4);
        var buffer = new MemoryStream();
        int flushPoint;
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write([.. header, 1, 2, 3, 4]);
            gzip.Flush();
            flushPoint = (int)buffer.Length;
            gzip.Write([5, 6, 7, 8]);
        }

        File.WriteAllBytes(path, buffer.ToArray()[..flushPoint]);

        Action act = () => IdxFile.ReadMatrix<float>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("cut.gz:*");
    }

    [Fact]
    public void ReadMatrix_GzipWithTrailingBytes_ThrowsInvalidDataFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.gz");
        IdxFile.Write(path, IdxDataType.UnsignedByte, [2, 2], [1, 2, 3, 4], compress: true);
        byte[] file = File.ReadAllBytes(path);

        // Repeat the trailer after the file, so the last 8 bytes still agree with the header's size claim.
        File.WriteAllBytes(path, [.. file, .. file[^8..]]);

        Action act = () => IdxFile.ReadMatrix<float>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("*unexpected bytes after the end of the gzip data*");
    }

    [Theory]
    [InlineData(IdxDataType.UnsignedByte, 256)]
    [InlineData(IdxDataType.UnsignedByte, -1)]
    [InlineData(IdxDataType.SignedByte, 128)]
    [InlineData(IdxDataType.Int16, 40000)]
    [InlineData(IdxDataType.Int32, 3e9)]
    [InlineData(IdxDataType.Int32, double.NaN)]
    [InlineData(IdxDataType.UnsignedByte, 1.5)]
    [InlineData(IdxDataType.Single, 1e300)]
    public void Write_ValueDoesNotFitTheType_ThrowsArgumentAndLeavesTheFile(IdxDataType type, double value)
    {
        using var dir = new TempDirectory();
        string path = dir.File("x");
        File.WriteAllText(path, "before");

        Action act = () => IdxFile.Write(path, type, [2], [0, value]);

        act.Should().Throw<ArgumentException>().WithParameterName("values").WithMessage("value 1 is *");
        File.ReadAllText(path).Should().Be("before");
    }

    [Fact]
    public void ReadAndWrite_PathIsADirectory_ThrowArgumentSayingSo()
    {
        using var dir = new TempDirectory();
        string file = dir.File("y");
        IdxFile.Write(file, IdxDataType.UnsignedByte, [1], [1]);

        new Action(() => IdxFile.ReadMatrix<float>(dir.Path)).Should().Throw<ArgumentException>().WithParameterName("path").WithMessage("*is a directory*");
        new Action(() => IdxFile.ReadLabels(dir.Path)).Should().Throw<ArgumentException>().WithParameterName("path");
        new Action(() => IdxFile.ReadDimensions(dir.Path, out _)).Should().Throw<ArgumentException>().WithParameterName("path");
        new Action(() => IdxFile.LoadDataset<float>(dir.Path, file)).Should().Throw<ArgumentException>().WithParameterName("imagesPath");
        new Action(() => IdxFile.LoadDataset<float>(file, dir.Path)).Should().Throw<ArgumentException>().WithParameterName("labelsPath");
        new Action(() => IdxFile.Write(dir.Path, IdxDataType.UnsignedByte, [1], [1])).Should().Throw<ArgumentException>().WithParameterName("path");
    }
}
