namespace NeuralNet.IO;

/// <summary>
/// The one way NeuralNet writes a file: into a temporary file beside the target, flushed to disk, then renamed over
/// the target, so a crash or kill during a save leaves the previous file intact.
/// </summary>
/// <remarks>
/// <para>Temporary files are named <c>.{target file name}.{32 hex digits}.tmp</c> in the target's directory
/// (<see cref="IsTemporaryFor"/>). A save killed before its rename leaves one behind; the next successful save of the
/// same target removes every such file that no running save holds open (the writer holds its temporary file with
/// <see cref="FileShare.None"/>, which is a lock on Windows and an advisory <c>flock</c> on Unix that the clean-up
/// respects). Two saves to the same target at once are not supported: the last rename wins.</para>
/// </remarks>
internal sealed class AtomicFile : IDisposable
{
    private const string Suffix = ".tmp";

    private readonly string _full;
    private readonly string _directory;
    private readonly string _name;
    private readonly string _temporary;
    private readonly FileStream _file;
    private bool _committed;

    private AtomicFile(string path, string paramName)
    {
        FilePath.ThrowIfNotFile(path, paramName);
        _full = Path.GetFullPath(path);
        _directory = Path.GetDirectoryName(_full) ?? ".";
        _name = Path.GetFileName(_full);
        _temporary = Path.Combine(_directory, $".{_name}.{Guid.NewGuid():N}{Suffix}");
        _file = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    /// <summary>The temporary file to write.</summary>
    public Stream Stream => _file;

    /// <summary>Starts a save of <paramref name="path"/>: write to <see cref="Stream"/>, then <see cref="Commit"/>;
    /// disposing without committing deletes the temporary file and leaves the target as it was.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    public static AtomicFile Create(string path, string paramName) => new(path, paramName);

    /// <summary>Writes <paramref name="path"/> through a temporary file; <paramref name="write"/> fills the stream.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, string paramName, Action<Stream> write)
    {
        using AtomicFile save = Create(path, paramName);
        write(save.Stream);
        save.Commit();
    }

    /// <summary>Flushes the temporary file to disk, renames it over the target and removes stale temporary files of the target.</summary>
    /// <exception cref="IOException">The file cannot be flushed or renamed.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _file.Flush(flushToDisk: true);

        // Unix renames an open file, so there the rename happens under the lock the clean-up respects; Windows
        // cannot rename a file that is open without FileShare.Delete, so there it follows the close.
        if (!OperatingSystem.IsWindows())
        {
            File.Move(_temporary, _full, overwrite: true);
        }

        _file.Dispose();
        if (OperatingSystem.IsWindows())
        {
            File.Move(_temporary, _full, overwrite: true);
        }

        _committed = true;
        RemoveStale(_directory, _name);
    }

    /// <summary>Closes the temporary file and, unless committed, deletes it.</summary>
    public void Dispose()
    {
        _file.Dispose();
        if (!_committed)
        {
            File.Delete(_temporary);
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is a temporary file of a save of <paramref name="target"/> (both bare names).</summary>
    public static bool IsTemporaryFor(string fileName, string target)
    {
        // ".{target}." + 32 hex digits + ".tmp"
        int prefix = target.Length + 2;
        if (fileName.Length != prefix + 32 + Suffix.Length
            || fileName[0] != '.' || fileName[prefix - 1] != '.'
            || !fileName.AsSpan(1, target.Length).SequenceEqual(target)
            || !fileName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in fileName.AsSpan(prefix, 32))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Deletes the temporary files of killed saves of <paramref name="target"/>; skips any a live save holds.</summary>
    private static void RemoveStale(string directory, string target)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, $".{target}.*{Suffix}");
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        foreach (string stale in candidates)
        {
            if (!IsTemporaryFor(Path.GetFileName(stale), target))
            {
                continue;
            }

            try
            {
                // Opening with FileShare.None fails while a running save holds the file; DeleteOnClose removes it
                // while we hold it, so nothing can reopen it in between.
                using var handle = new FileStream(stale, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
