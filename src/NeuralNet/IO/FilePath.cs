namespace NeuralNet.IO;

/// <summary>Checks every public entry point that takes a file path makes before touching the file system.</summary>
internal static class FilePath
{
    /// <summary>Rejects a null path, and a path that names a directory (which the OS would otherwise report as
    /// "access denied").</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    public static void ThrowIfNotFile(string path, string paramName)
    {
        ArgumentNullException.ThrowIfNull(path, paramName);
        if (path.Length == 0)
        {
            throw new ArgumentException($"{paramName} is empty; give the path of a file.", paramName);
        }

        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{paramName} '{path}' is a directory, not a file; give the path of a file inside it.", paramName);
        }
    }

    /// <summary>Opens an existing file for reading after <see cref="ThrowIfNotFile"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static FileStream OpenRead(string path, string paramName)
    {
        ThrowIfNotFile(path, paramName);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }
}
