using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace NeuralNet.IO;

/// <summary>
/// Decompresses a file that holds exactly one gzip member (RFC 1952) and proves at the end that it was whole: the
/// deflate data must end exactly where the 8-byte trailer begins, and the trailer's CRC-32 and length (modulo 2^32)
/// must match the bytes produced. A truncated file (even one cut at a deflate flush point, which
/// <see cref="GZipStream"/> accepts), bytes after the member (garbage or a second member) and corrupt data all raise
/// <see cref="InvalidDataFileException"/> when the reader reaches the end, so a caller that reads to the end before
/// returning anything never returns part of a file.
/// </summary>
internal sealed class GzipReadStream : Stream
{
    /// <summary>Header (10 bytes) plus trailer (8 bytes): the shortest gzip file.</summary>
    public const int MinimumLength = 18;

    /// <summary>Bytes before the trailer that are handed to the inflater one at a time (see <see cref="BodyStream"/>).</summary>
    private const int ExactTail = 64;

    private const byte FlagText = 1, FlagHeaderCrc = 2, FlagExtra = 4, FlagName = 8, FlagComment = 16;

    private readonly FileStream _file;
    private readonly string _name;
    private readonly BodyStream _body;
    private readonly DeflateStream _inflater;
    private readonly Crc32 _crc = new();
    private readonly uint _expectedCrc;
    private long _produced;
    private bool _verified;

    /// <summary>Parses the header and trailer of <paramref name="file"/>, positioned anywhere; the stream takes ownership of the file.</summary>
    /// <exception cref="InvalidDataFileException">The header is malformed or the file is too short.</exception>
    public GzipReadStream(FileStream file, string name)
    {
        _file = file;
        _name = name;
        long length = file.Length;
        if (length < MinimumLength)
        {
            throw new InvalidDataFileException($"{name}: truncated gzip file: {length} bytes, a gzip file has at least {MinimumLength}.");
        }

        Span<byte> trailer = stackalloc byte[8];
        file.Seek(-8, SeekOrigin.End);
        file.ReadExactly(trailer);
        _expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        UncompressedLengthModulo32 = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        CompressedLength = length;

        file.Seek(0, SeekOrigin.Begin);
        long bodyStart = ReadHeader(file, length - 8);
        _body = new BodyStream(file, name, bodyStart, length - 8);
        _inflater = new DeflateStream(_body, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>The uncompressed length the trailer records, modulo 2^32 (RFC 1952 ISIZE).</summary>
    public uint UncompressedLengthModulo32 { get; }

    /// <summary>The length of the compressed file.</summary>
    public long CompressedLength { get; }

    /// <summary>Whether <paramref name="start"/> begins with the gzip magic number <c>1F 8B</c>.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> start) => start.Length >= 2 && start[0] == 0x1F && start[1] == 0x8B;

    /// <summary>Opens <paramref name="file"/> as gzip when its content starts with the gzip magic number, else returns it
    /// positioned at the start. Either way the returned stream owns the file.</summary>
    public static Stream OpenMaybeCompressed(FileStream file, string name)
    {
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Seek(0, SeekOrigin.Begin);
        return got == 2 && HasMagic(magic) ? new GzipReadStream(file, name) : file;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _verified)
        {
            return 0;
        }

        int got;
        try
        {
            got = _inflater.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataFileException($"{_name}: corrupt gzip data after {_produced:N0} decompressed bytes: {e.Message}", e);
        }

        if (got == 0)
        {
            Verify();
            return 0;
        }

        _crc.Append(buffer[..got]);
        _produced += got;
        return got;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The inflater has stopped: either the deflate data ended, or the body ran out.</summary>
    private void Verify()
    {
        if (_body.Remaining > 0)
        {
            // The 8 bytes after the deflate data are the member's trailer; what lies beyond them does not belong. The
            // count is exact when the data ends within the last ExactTail bytes, a lower bound otherwise.
            throw new InvalidDataFileException($"{_name}: unexpected bytes after the end of the gzip data (at least {_body.Remaining:N0}): trailing garbage or a second gzip member; a data file holds one gzip member.");
        }

        uint crc = _crc.GetCurrentHashAsUInt32();
        if (crc != _expectedCrc || (uint)_produced != UncompressedLengthModulo32)
        {
            throw new InvalidDataFileException($"{_name}: truncated or corrupt gzip file: the data decompresses to {_produced:N0} bytes with CRC-32 {crc:X8}, but the trailer records {UncompressedLengthModulo32:N0} bytes (mod 2^32) with CRC-32 {_expectedCrc:X8}.");
        }

        _verified = true;
    }

    /// <summary>Reads the RFC 1952 member header; returns the offset of the deflate data.</summary>
    private long ReadHeader(FileStream file, long limit)
    {
        Span<byte> fixedPart = stackalloc byte[10];
        file.ReadExactly(fixedPart);
        if (!HasMagic(fixedPart))
        {
            throw new InvalidDataFileException($"{_name}: not a gzip file (magic {fixedPart[0]:X2} {fixedPart[1]:X2}, expected 1F 8B).");
        }

        if (fixedPart[2] != 8)
        {
            throw new InvalidDataFileException($"{_name}: gzip compression method {fixedPart[2]} is not deflate (8).");
        }

        byte flags = fixedPart[3];
        if ((flags & ~(FlagText | FlagHeaderCrc | FlagExtra | FlagName | FlagComment)) != 0)
        {
            throw new InvalidDataFileException($"{_name}: gzip header has reserved flag bits set (flags {flags:X2}).");
        }

        if ((flags & FlagExtra) != 0)
        {
            Span<byte> word = stackalloc byte[2];
            ReadHeaderBytes(file, word, limit);
            SkipHeaderBytes(file, BinaryPrimitives.ReadUInt16LittleEndian(word), limit);
        }

        if ((flags & FlagName) != 0)
        {
            SkipZeroTerminated(file, limit);
        }

        if ((flags & FlagComment) != 0)
        {
            SkipZeroTerminated(file, limit);
        }

        if ((flags & FlagHeaderCrc) != 0)
        {
            SkipHeaderBytes(file, 2, limit);
        }

        return file.Position;
    }

    private void ReadHeaderBytes(FileStream file, Span<byte> destination, long limit)
    {
        if (file.Position + destination.Length > limit)
        {
            throw TruncatedHeader();
        }

        file.ReadExactly(destination);
    }

    private void SkipHeaderBytes(FileStream file, long count, long limit)
    {
        if (file.Position + count > limit)
        {
            throw TruncatedHeader();
        }

        file.Seek(count, SeekOrigin.Current);
    }

    private void SkipZeroTerminated(FileStream file, long limit)
    {
        while (file.Position < limit)
        {
            if (file.ReadByte() == 0)
            {
                return;
            }
        }

        throw TruncatedHeader();
    }

    private InvalidDataFileException TruncatedHeader() =>
        new($"{_name}: truncated gzip file: the header runs into the trailer.");

    /// <summary>
    /// The deflate data: the file from the end of the header to the start of the trailer. The inflater asks for input
    /// only when it needs more to finish, so if it stops with bytes of the body left unread, the deflate data ended
    /// early and those bytes follow the member. To make that exact, the last <see cref="ExactTail"/> bytes are handed
    /// over one at a time: an inflater that finishes inside them has read nothing beyond its end, and one that finishes
    /// before them leaves them all unread. Earlier bytes go in large reads, so this costs nothing measurable.
    /// </summary>
    private sealed class BodyStream(FileStream file, string name, long start, long end) : Stream
    {
        private readonly long _start = start;
        private long _position = start;
        private bool _seeked;

        public long Remaining => end - _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => end - _start;

        public override long Position
        {
            get => _position - _start;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long remaining = end - _position;
            if (remaining <= 0 || buffer.IsEmpty)
            {
                return 0;
            }

            if (!_seeked)
            {
                file.Seek(_position, SeekOrigin.Begin);
                _seeked = true;
            }

            int want = remaining > ExactTail
                ? (int)Math.Min(buffer.Length, remaining - ExactTail)
                : 1;
            int got = file.Read(buffer[..want]);
            if (got <= 0)
            {
                throw new InvalidDataFileException($"{name}: the file shrank while it was being read ({Remaining:N0} bytes missing).");
            }

            _position += got;
            return got;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
