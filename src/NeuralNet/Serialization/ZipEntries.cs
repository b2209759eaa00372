using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// Safe reading (and the matching writing) of a model archive's entries: the magic number, every entry's declared sizes
/// checked against the file before anything is allocated, reads bounded by the size the manifest implies, and
/// decompression, JSON and truncation errors turned into <see cref="InvalidDataFileException"/>.
/// </summary>
internal static class ZipEntries
{
    /// <summary>The largest expansion ratio of deflate (RFC 1951).</summary>
    internal const long MaxDeflateRatio = 1032;

    /// <summary>Opens <paramref name="path"/> as a zip archive and runs <paramref name="read"/>, turning every
    /// decompression, JSON and truncation error into <see cref="InvalidDataFileException"/>.</summary>
    internal static TResult ReadArchive<TResult>(string path, Func<ZipArchive, string, long, TResult> read)
    {
        string name = Path.GetFileName(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = file.Length;
        Span<byte> magic = stackalloc byte[4];
        int got = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4 || magic[0] != (byte)'P' || magic[1] != (byte)'K' || magic[2] != 3 || magic[3] != 4)
        {
            throw new InvalidDataFileException(got < 4
                ? $"{name}: truncated: {length} bytes is too short for a model file."
                : $"{name}: wrong magic number {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}; a model file is a zip archive starting 50 4B 03 04 ('PK').");
        }

        file.Seek(0, SeekOrigin.Begin);
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            return read(zip, name, length);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataFileException($"{name}: corrupt zip archive: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataFileException($"{name}: manifest.json is not valid JSON: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataFileException($"{name}: truncated: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataFileException($"{name}: unsupported zip feature: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="values"/> little-endian as a stored (uncompressed) entry.</summary>
    internal static void WriteTensor<T>(ZipArchive zip, string entryName, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ZipArchiveEntry entry = zip.CreateEntry(entryName, CompressionLevel.NoCompression);
        using Stream stream = entry.Open();
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        // Big-endian host: reverse the bytes of each element.
        byte[] copy = MemoryMarshal.AsBytes(values).ToArray();
        int size = Marshal.SizeOf<T>();
        for (int i = 0; i < copy.Length; i += size)
        {
            copy.AsSpan(i, size).Reverse();
        }

        stream.Write(copy);
    }

    /// <summary>
    /// Reads an entry of exactly <c>destination.Length</c> little-endian values into <paramref name="destination"/>:
    /// checks the declared sizes first, reads at most one byte more than expected, and rejects non-finite values.
    /// </summary>
    internal static void ReadTensor<T>(ZipArchive zip, string entryName, Span<T> destination, string where, long fileLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ZipArchiveEntry entry = FindEntry(zip, entryName, where);
        long expected = (long)destination.Length * Marshal.SizeOf<T>();
        CheckEntrySize(entry, expected, where, fileLength);
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        using (Stream stream = entry.Open())
        {
            int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length)
            {
                throw new InvalidDataFileException($"{where}: truncated: entry '{entryName}' holds {got:N0} bytes, expected {expected:N0}.");
            }

            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) != 0)
            {
                throw new InvalidDataFileException($"{where}: entry '{entryName}' is longer than the {expected:N0} bytes its shape implies.");
            }
        }

        if (!BitConverter.IsLittleEndian)
        {
            int size = Marshal.SizeOf<T>();
            for (int i = 0; i < destination.Length; i++)
            {
                bytes.Slice(i * size, size).Reverse();
            }
        }

        int bad = IndexOfNonFinite<T>(destination);
        if (bad >= 0)
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' value {bad} is {destination[bad]}; weights must be finite.");
        }
    }

    internal static ZipArchiveEntry FindEntry(ZipArchive zip, string entryName, string where) =>
        zip.GetEntry(entryName) ?? throw new InvalidDataFileException($"{where}: entry '{entryName}' is missing from the archive.");

    /// <summary>Rejects an entry whose declared sizes disagree with <paramref name="expected"/> before any allocation.</summary>
    internal static void CheckEntrySize(ZipArchiveEntry entry, long expected, string where, long fileLength)
    {
        if (entry.Length != expected)
        {
            throw new InvalidDataFileException($"{where}: entry '{entry.FullName}' declares {entry.Length:N0} bytes but its shape implies {expected:N0}.");
        }

        if (entry.CompressedLength > fileLength || expected > entry.CompressedLength * MaxDeflateRatio + 1024)
        {
            throw new InvalidDataFileException($"{where}: entry '{entry.FullName}' claims {expected:N0} bytes from {entry.CompressedLength:N0} compressed bytes in a {fileLength:N0}-byte file; the sizes are impossible.");
        }
    }

    internal static int IndexOfNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
