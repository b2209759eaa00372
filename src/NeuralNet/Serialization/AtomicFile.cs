using System.IO.Compression;

namespace NeuralNet.Serialization;

/// <summary>Atomic saves: a crash during a save leaves the previous file intact.</summary>
internal static class AtomicFile
{
    /// <summary>Writes through a temporary file in the same directory, flushed to disk, then moves it over <paramref name="path"/>.</summary>
    internal static void Write(string path, Action<ZipArchive> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    write(zip);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
