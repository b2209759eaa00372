using System.Buffers.Binary;
using CsCheck;

namespace NeuralNet.Tests.TestSupport;

/// <summary>One change to a file's bytes, printable so a failing case can be reproduced by hand.</summary>
public abstract record Mutation
{
    public abstract byte[] Apply(byte[] original);

    /// <summary>Cut the file to its first <paramref name="Length"/> bytes.</summary>
    public sealed record Truncate(int Length) : Mutation
    {
        public override byte[] Apply(byte[] original) => original[..Math.Min(Length, original.Length)];
    }

    /// <summary>Flip one bit.</summary>
    public sealed record FlipBit(int Offset, int Bit) : Mutation
    {
        public override byte[] Apply(byte[] original)
        {
            byte[] copy = (byte[])original.Clone();
            copy[Offset % copy.Length] ^= (byte)(1 << Bit);
            return copy;
        }
    }

    /// <summary>Overwrite one byte.</summary>
    public sealed record SetByte(int Offset, byte Value) : Mutation
    {
        public override byte[] Apply(byte[] original)
        {
            byte[] copy = (byte[])original.Clone();
            copy[Offset % copy.Length] = Value;
            return copy;
        }
    }

    /// <summary>Add bytes at the end.</summary>
    public sealed record Append(byte[] Bytes) : Mutation
    {
        public override byte[] Apply(byte[] original) => [.. original, .. Bytes];

        public override string ToString() => $"Append({Convert.ToHexString(Bytes)})";
    }

    /// <summary>Insert bytes in the middle.</summary>
    public sealed record Insert(int Offset, byte[] Bytes) : Mutation
    {
        public override byte[] Apply(byte[] original)
        {
            int at = Offset % (original.Length + 1);
            return [.. original[..at], .. Bytes, .. original[at..]];
        }

        public override string ToString() => $"Insert({Offset}, {Convert.ToHexString(Bytes)})";
    }

    /// <summary>Remove a run of bytes.</summary>
    public sealed record Remove(int Offset, int Count) : Mutation
    {
        public override byte[] Apply(byte[] original)
        {
            int at = Offset % original.Length;
            int end = Math.Min(original.Length, at + Count);
            return [.. original[..at], .. original[end..]];
        }
    }

    /// <summary>Overwrite a 16- or 32-bit little-endian field at <paramref name="Offset"/> (zip headers are little-endian):
    /// sizes, offsets, CRCs and flags set to edge values or nudged by one.</summary>
    public sealed record Field(int Offset, int Width, long Value) : Mutation
    {
        public override byte[] Apply(byte[] original)
        {
            byte[] copy = (byte[])original.Clone();
            int at = Offset % Math.Max(1, copy.Length - Width);
            if (Width == 2)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at), (ushort)Value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), (uint)Value);
            }

            return copy;
        }
    }

    /// <summary>Copy <paramref name="Count"/> bytes from one place over another (e.g. one zip header's fields or name
    /// over another's, making duplicate names or entries that share data).</summary>
    public sealed record CopyOver(int From, int To, int Count) : Mutation
    {
        public override byte[] Apply(byte[] original)
        {
            byte[] copy = (byte[])original.Clone();
            int from = From % copy.Length, to = To % copy.Length;
            int n = Math.Min(Count, Math.Min(copy.Length - from, copy.Length - to));
            original.AsSpan(from, n).CopyTo(copy.AsSpan(to, n));
            return copy;
        }
    }
}

/// <summary>
/// Seeded file fuzzing: mutations drawn with CsCheck generators from a fixed PCG seed (the same cases on every run),
/// each applied to a valid file and loaded; the load must return content bit-identical to the original's or throw
/// <see cref="InvalidDataFileException"/>. Any other exception, or a different content, fails the test with the case
/// number and the mutation.
/// </summary>
public static class Fuzz
{
    /// <summary>Mutations of every kind, with offsets anywhere in a file of <paramref name="length"/> bytes; zip-aware
    /// kinds are weighted towards the headers at <paramref name="hotSpots"/> when given.</summary>
    public static Gen<Mutation> Mutations(int length, IReadOnlyList<int>? hotSpots = null)
    {
        Gen<int> anywhere = Gen.Int[0, length - 1];
        Gen<int> near = hotSpots is { Count: > 0 }
            ? Gen.Int[0, hotSpots.Count - 1].SelectMany(i => Gen.Int[0, 46].Select(d => hotSpots[i] + d))
            : anywhere;
        Gen<long> fieldValue = Gen.OneOf(
            Gen.Const(0L), Gen.Const(1L), Gen.Const(0xFFFFL), Gen.Const(0xFFFFFFFFL), Gen.Const(0x7FFFFFFFL),
            Gen.Int[0, length * 2].Select(v => (long)v), Gen.Long[0, uint.MaxValue]);
        return Gen.Frequency<Mutation>(
            (3, Gen.Int[0, length - 1].Select(n => (Mutation)new Mutation.Truncate(n))),
            (6, Gen.Select(anywhere, Gen.Int[0, 7], (o, b) => (Mutation)new Mutation.FlipBit(o, b))),
            (3, Gen.Select(near, Gen.Int[0, 7], (o, b) => (Mutation)new Mutation.FlipBit(o, b))),
            (2, Gen.Select(anywhere, Gen.Byte, (o, v) => (Mutation)new Mutation.SetByte(o, v))),
            (2, Gen.Byte.Array[1, 64].Select(b => (Mutation)new Mutation.Append(b))),
            (1, Gen.Select(anywhere, Gen.Byte.Array[1, 16], (o, b) => (Mutation)new Mutation.Insert(o, b))),
            (1, Gen.Select(anywhere, Gen.Int[1, 64], (o, n) => (Mutation)new Mutation.Remove(o, n))),
            (3, Gen.Select(near, Gen.OneOf(Gen.Const(2), Gen.Const(4)), fieldValue, (o, w, v) => (Mutation)new Mutation.Field(o, w, v))),
            (2, Gen.Select(near, near, Gen.Int[1, 46], (f, t, n) => (Mutation)new Mutation.CopyOver(f, t, n))));
    }

    /// <summary>Offsets of every zip local header (<c>PK 03 04</c>), central directory header (<c>PK 01 02</c>) and end
    /// record (<c>PK 05 06</c>) in <paramref name="zip"/>.</summary>
    public static List<int> ZipHeaders(byte[] zip)
    {
        var found = new List<int>();
        for (int i = 0; i + 4 <= zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && ((zip[i + 2] == 3 && zip[i + 3] == 4) || (zip[i + 2] == 1 && zip[i + 3] == 2) || (zip[i + 2] == 5 && zip[i + 3] == 6)))
            {
                found.Add(i);
            }
        }

        return found;
    }

    /// <summary>What a fuzz run saw.</summary>
    public sealed record Summary(int Cases, int Unchanged, int LoadedIdentical, int Rejected, TimeSpan Elapsed)
    {
        public override string ToString() =>
            $"{Cases} cases: {Rejected} rejected with InvalidDataFileException, {LoadedIdentical} loaded identical, {Unchanged} mutations left the bytes unchanged; {Elapsed.TotalSeconds:F1} s";
    }

    /// <summary>Runs <paramref name="cases"/> mutations of <paramref name="original"/> drawn from
    /// <paramref name="mutations"/> with the PCG seed <paramref name="seed"/>; <paramref name="load"/> reads a path and
    /// returns a canonical byte form of what it loaded. A hang fails the test after <paramref name="bound"/>.</summary>
    public static Summary Run(string name, byte[] original, Gen<Mutation> mutations, Func<string, byte[]> load, int cases, ulong seed, TimeSpan bound)
    {
        using var dir = new TempDirectory();
        string basePath = dir.File(name);
        File.WriteAllBytes(basePath, original);
        byte[] expected = load(basePath);
        var failures = new List<string>();
        int unchanged = 0, identical = 0, rejected = 0, current = -1;
        Mutation? currentMutation = null;
        var pcg = new PCG(1, seed);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            for (int i = 0; i < cases; i++)
            {
                Mutation mutation = mutations.Generate(pcg, null!, out _);
                Volatile.Write(ref current, i);
                currentMutation = mutation;
                byte[] bytes = mutation.Apply(original);
                if (bytes.AsSpan().SequenceEqual(original))
                {
                    unchanged++;
                    continue;
                }

                string path = dir.File($"{i}-{name}");
                File.WriteAllBytes(path, bytes);
                try
                {
                    byte[] got = load(path);
                    if (got.AsSpan().SequenceEqual(expected))
                    {
                        identical++;
                    }
                    else
                    {
                        failures.Add($"case {i} ({mutation}): loaded without error but with different content");
                    }
                }
                catch (InvalidDataFileException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    failures.Add($"case {i} ({mutation}): {e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    File.Delete(path);
                }
            }
        }, 16 << 20);
        worker.Start();
        if (!worker.Join(bound))
        {
            throw new TimeoutException($"{name}: case {Volatile.Read(ref current)} ({currentMutation}) did not finish; the fuzz run exceeded {bound}.");
        }

        failures.Should().BeEmpty($"every mutation of {name} must load identically or raise InvalidDataFileException");
        return new Summary(cases, unchanged, identical, rejected, watch.Elapsed);
    }
}
