using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NeuralNet.IO;

namespace NeuralNet.Serialization;

/// <summary>
/// The one place a model archive's entries are read, with every integrity check: the archive as a whole (no duplicate
/// or encrypted entries, compressed sizes that fit in the file), each entry before it is read (declared size equal to
/// what the manifest implies and possible from its compressed size, claimed by at most one reference, and the running
/// total within <see cref="ModelFile.MaxExpansion"/> times the file length), and each entry as it is read (exactly its
/// declared length, CRC-32 equal to the zip header's, and the SHA-256 digest the manifest records, when it records one).
/// Entries the manifest does not name are still checked (sizes and CRC-32) by <see cref="VerifyRest"/>.
/// </summary>
internal sealed class ArchiveReader
{
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly long _budget;
    private long _claimedBytes;

    /// <summary>Checks the archive's directory: every name once, nothing encrypted, compressed sizes within the file.</summary>
    public ArchiveReader(ZipArchive zip, string name, long fileLength)
    {
        Name = name;
        FileLength = fileLength;
        long compressed = 0;
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            if (entry.IsEncrypted)
            {
                throw new InvalidDataFileException($"{name}: entry '{entry.FullName}' is encrypted; model files are never encrypted.");
            }

            // Zip readers disagree on which of two same-named entries counts (the first here, the last in others),
            // so a file with both could show one set of weights to one tool and another to us.
            if (!_entries.TryAdd(entry.FullName, entry))
            {
                throw new InvalidDataFileException($"{name}: entry '{entry.FullName}' appears twice in the archive.");
            }

            compressed += entry.CompressedLength;
        }

        if (compressed > fileLength)
        {
            throw new InvalidDataFileException($"{name}: the entries claim {compressed:N0} compressed bytes in a {fileLength:N0}-byte file; entries overlap or their sizes are forged.");
        }

        _budget = fileLength * ModelFile.MaxExpansion;
    }

    /// <summary>The file name, for messages.</summary>
    public string Name { get; }

    /// <summary>The length of the file.</summary>
    public long FileLength { get; }

    /// <summary>The length <paramref name="entryName"/> declares; nothing is claimed or read.</summary>
    public long DeclaredLength(string entryName, string where) => Find(entryName, where).Length;

    /// <summary>
    /// Reserves <paramref name="entryName"/> for one read of exactly <paramref name="expected"/> bytes, before anything is
    /// allocated for it: the entry must exist, declare that length, be able to hold it (deflate expands at most 1032:1),
    /// not be claimed already (two tensors sharing one entry would let a small file fill memory many times over), and
    /// keep the bytes claimed so far within <see cref="ModelFile.MaxExpansion"/> times the file length.
    /// </summary>
    public void Claim(string entryName, long expected, string where)
    {
        ZipArchiveEntry entry = Find(entryName, where);
        if (entry.Length != expected)
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' declares {entry.Length:N0} bytes but its shape implies {expected:N0}.");
        }

        if (entry.CompressedLength > FileLength || expected > entry.CompressedLength * Deflate.MaxRatio + 1024)
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' claims {expected:N0} bytes from {entry.CompressedLength:N0} compressed bytes in a {FileLength:N0}-byte file; the sizes are impossible.");
        }

        if (!_claimed.Add(entryName))
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' is referenced twice; every tensor has an entry of its own.");
        }

        _claimedBytes += expected;
        if (_claimedBytes > _budget)
        {
            throw new InvalidDataFileException($"{where}: the manifest declares {_claimedBytes:N0} bytes of entries so far, more than {ModelFile.MaxExpansion:N0} times the file's {FileLength:N0} bytes.");
        }
    }

    /// <summary>Reads a claimed entry into <paramref name="destination"/> (exactly its length) and checks its CRC-32.</summary>
    public void Read(string entryName, Span<byte> destination, string where)
    {
        if (!_claimed.Contains(entryName))
        {
            throw new InvalidOperationException($"{where}: entry '{entryName}' is read without being claimed first.");
        }

        ZipArchiveEntry entry = Find(entryName, where);
        using Stream stream = entry.Open();
        int got = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        if (got < destination.Length)
        {
            throw new InvalidDataFileException($"{where}: truncated: entry '{entryName}' holds {got:N0} bytes, expected {destination.Length:N0}.");
        }

        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) != 0)
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' is longer than the {destination.Length:N0} bytes it declares.");
        }

        uint crc = Crc32.HashToUInt32(destination);
        if (crc != entry.Crc32)
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' is corrupt: its data has CRC-32 {crc:X8}, the zip header records {entry.Crc32:X8}.");
        }
    }

    /// <summary>
    /// Claims and reads a tensor entry of exactly <c>destination.Length</c> little-endian values; checks the SHA-256
    /// digest the manifest records (<paramref name="sha256"/>, 64 hex digits; null for files written before digests)
    /// and that every value is finite.
    /// </summary>
    public void ReadTensor<T>(string entryName, Span<T> destination, string where, string? sha256, bool claimed = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!claimed)
        {
            Claim(entryName, (long)destination.Length * Marshal.SizeOf<T>(), where);
        }

        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        Read(entryName, bytes, where);
        string? digest = sha256 is null ? null : Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!BitConverter.IsLittleEndian)
        {
            int size = Marshal.SizeOf<T>();
            for (int i = 0; i < destination.Length; i++)
            {
                bytes.Slice(i * size, size).Reverse();
            }
        }

        // A non-finite value is named before a digest mismatch: it says more about what is wrong.
        int bad = ZipEntries.IndexOfNonFinite<T>(destination);
        if (bad >= 0)
        {
            throw new InvalidDataFileException(string.Create(CultureInfo.InvariantCulture, $"{where}: entry '{entryName}' value {bad} is {destination[bad]}; weights must be finite."));
        }

        if (sha256 is not null)
        {
            CheckDigest(entryName, digest!, sha256, where);
        }
    }

    /// <summary>Checks the sizes and CRC-32 of every entry nothing has read (entries a newer writer or a checkpoint
    /// added), streaming them through a small buffer; each is bounded like a claimed entry.</summary>
    public void VerifyRest()
    {
        byte[]? buffer = null;
        foreach ((string entryName, ZipArchiveEntry entry) in _entries)
        {
            if (_claimed.Contains(entryName))
            {
                continue;
            }

            Claim(entryName, entry.Length, $"{Name}: unreferenced entry");
            buffer ??= new byte[1 << 16];
            var crc = new Crc32();
            long total = 0;
            using (Stream stream = entry.Open())
            {
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    total += n;
                    if (total > entry.Length)
                    {
                        throw new InvalidDataFileException($"{Name}: entry '{entryName}' is longer than the {entry.Length:N0} bytes it declares.");
                    }

                    crc.Append(buffer.AsSpan(0, n));
                }
            }

            if (total != entry.Length)
            {
                throw new InvalidDataFileException($"{Name}: truncated: entry '{entryName}' holds {total:N0} bytes, expected {entry.Length:N0}.");
            }

            if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
            {
                throw new InvalidDataFileException($"{Name}: entry '{entryName}' is corrupt: its data has CRC-32 {crc.GetCurrentHashAsUInt32():X8}, the zip header records {entry.Crc32:X8}.");
            }
        }
    }

    /// <summary>The lower-case hex SHA-256 of <paramref name="values"/> as stored: little-endian bytes.</summary>
    public static string Digest<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        if (!BitConverter.IsLittleEndian)
        {
            byte[] copy = bytes.ToArray();
            int size = Marshal.SizeOf<T>();
            for (int i = 0; i < copy.Length; i += size)
            {
                copy.AsSpan(i, size).Reverse();
            }

            return Convert.ToHexStringLower(SHA256.HashData(copy));
        }

        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private ZipArchiveEntry Find(string entryName, string where) =>
        _entries.TryGetValue(entryName, out ZipArchiveEntry? entry)
            ? entry
            : throw new InvalidDataFileException($"{where}: entry '{entryName}' is missing from the archive.");

    private static void CheckDigest(string entryName, string actual, string sha256, string where)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new InvalidDataFileException($"{where}: the SHA-256 digest of entry '{entryName}' is '{sha256}', not 64 hex digits.");
        }

        if (!actual.Equals(sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataFileException($"{where}: entry '{entryName}' has changed: its SHA-256 is {actual}, the manifest records {sha256.ToLowerInvariant()}.");
        }
    }
}
