namespace NeuralNet.IO;

/// <summary>What deflate (RFC 1951) can do, for the readers' size checks before they allocate.</summary>
internal static class Deflate
{
    /// <summary>The largest expansion ratio of deflate: a 258-byte match coded in about 2 bits gives at most 1032
    /// output bytes per input byte, so <c>n</c> compressed bytes never decompress to more than <c>1032 n</c>.</summary>
    public const long MaxRatio = 1032;
}
