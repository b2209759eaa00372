namespace NeuralNet;

/// <summary>
/// The one exception every NeuralNet reader throws for a malformed file: IDX and CSV data, model files and
/// checkpoints. The message says what is wrong and where (line and column for CSV, the entry or header field
/// for binary files), e.g. <c>"train.idx: header claims 60000x28x28 = 47,040,000 bytes of data but the file holds 1,024"</c>.
/// </summary>
/// <remarks>
/// Readers check every size a header claims against the file length (or, for compressed data, against the most
/// that the compressed bytes can expand to) before allocating, so a hostile file raises this exception instead of
/// exhausting memory. I/O failures that are not about the file's content (file not found, access denied) surface as
/// the usual <see cref="IOException"/> subclasses.
/// </remarks>
public sealed class InvalidDataFileException : FormatException
{
    /// <summary>Creates the exception with a message that says what is wrong.</summary>
    /// <param name="message">What is wrong, and where.</param>
    public InvalidDataFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    /// <param name="message">What is wrong, and where.</param>
    /// <param name="innerException">The lower-level error (a decompression or JSON error).</param>
    public InvalidDataFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message (prefer the constructors that say what is wrong).</summary>
    public InvalidDataFileException()
        : base("The file is not valid.")
    {
    }
}
