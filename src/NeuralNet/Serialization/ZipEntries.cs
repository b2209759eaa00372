using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNet.IO;

namespace NeuralNet.Serialization;

/// <summary>
/// Opening model archives for reading (the entries themselves are read through <see cref="ArchiveReader"/>, which
/// holds every integrity check) and writing them: atomically, through <see cref="AtomicFile"/>.
/// </summary>
internal static class ZipEntries
{
    /// <summary>Opens <paramref name="path"/> as a zip archive and runs <paramref name="read"/>, then checks the entries
    /// it did not read (<see cref="ArchiveReader.VerifyRest"/>); turns every decompression, JSON and truncation error
    /// into <see cref="InvalidDataFileException"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    internal static TResult ReadArchive<TResult>(string path, Func<ArchiveReader, TResult> read)
    {
        using FileStream file = FilePath.OpenRead(path, nameof(path));
        string name = Path.GetFileName(path);
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
            var archive = new ArchiveReader(zip, name, length);
            TResult result = read(archive);
            archive.VerifyRest();
            return result;
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

    /// <summary>Writes a zip archive to <paramref name="path"/> atomically (<see cref="AtomicFile"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    internal static void WriteArchive(string path, Action<ZipArchive> write) =>
        AtomicFile.Write(path, nameof(path), stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            write(zip);
        });

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
