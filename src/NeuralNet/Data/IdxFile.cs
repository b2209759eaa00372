using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.IO;

namespace NeuralNet.Data;

/// <summary>
/// Reads and writes the IDX format of MNIST and Fashion-MNIST: a magic number <c>00 00 type ndims</c>, then
/// <c>ndims</c> big-endian 32-bit dimensions, then the elements in row-major order, big-endian. Files may be raw or
/// gzip-compressed (detected from the content, not the name).
/// </summary>
/// <remarks>
/// Before allocating, the size the header claims is checked against the file: exactly its length for a raw file;
/// for a gzip file, the trailer's uncompressed length and the most deflate can expand the compressed bytes to
/// (1032:1). Any mismatch raises <see cref="InvalidDataFileException"/>, as do a wrong magic number, zero or negative
/// dimensions, truncated data and trailing bytes. A gzip file must hold exactly one gzip member, and the data is
/// checked against the trailer's CRC-32 and length before anything is returned, so a file cut anywhere (even at a
/// deflate flush point) or followed by other bytes is rejected. A path that names a directory raises
/// <see cref="ArgumentException"/>.
/// </remarks>
public static class IdxFile
{
    /// <summary>Reads an IDX file of any element type as a matrix: the first dimension is rows, the others are flattened
    /// (row-major) into columns; a one-dimensional file gives one column. Each value is multiplied by <paramref name="scale"/>
    /// (e.g. <c>1/255.0</c> for pixels).</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="scale">Factor applied to every value.</param>
    /// <returns>A <c>[dims[0] x product(dims[1..])]</c> matrix.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The file is not a well-formed IDX file.</exception>
    public static Matrix<T> ReadMatrix<T>(string path, double scale = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        ThrowHelper.ThrowIfUnsupportedType<T>();
        using var reader = Open(path);
        int rows = reader.Dimensions[0];
        int columns = (int)(reader.ElementCount / rows);
        var values = new T[reader.ElementCount];
        reader.ReadElements((index, value) => values[(index % columns) * (long)rows + index / columns] = T.CreateChecked(value * scale));
        return Matrix<T>.Build.Dense(rows, columns, values);
    }

    /// <summary>Reads a one-dimensional IDX file of integer class labels (MNIST's label files).</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <returns>The labels.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The file is malformed, has more than one dimension, or holds a value that is not a non-negative integer.</exception>
    public static int[] ReadLabels(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = Open(path);
        if (reader.Dimensions.Length != 1)
        {
            throw new InvalidDataFileException($"{reader.Name}: a label file has one dimension, this one has {reader.Dimensions.Length} ({string.Join('x', reader.Dimensions)}).");
        }

        var labels = new int[reader.ElementCount];
        string name = reader.Name;
        reader.ReadElements((index, value) =>
        {
            if (!(value >= 0 && value <= int.MaxValue && value == Math.Floor(value)))
            {
                throw new InvalidDataFileException(string.Create(CultureInfo.InvariantCulture, $"{name}: label {index} is {value}, not a non-negative integer."));
            }

            labels[index] = (int)value;
        });
        return labels;
    }

    /// <summary>Reads the dimensions and element type of an IDX file without reading its data.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="dataType">The element type.</param>
    /// <returns>The dimensions, outermost first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">The header is malformed or disagrees with the file length.</exception>
    public static int[] ReadDimensions(string path, out IdxDataType dataType)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = Open(path);
        dataType = reader.DataType;
        return reader.Dimensions;
    }

    /// <summary>
    /// Loads an image file and a label file (MNIST layout) as a dataset: features <c>[n x pixels]</c> scaled by
    /// <paramref name="scale"/>, targets one column of class indices.
    /// </summary>
    /// <param name="imagesPath">The images, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">The labels, e.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="scale">Factor applied to every pixel; <c>1/255</c> maps bytes to [0, 1].</param>
    /// <param name="maxSamples">Keep only the first this many samples (all when null).</param>
    /// <exception cref="ArgumentNullException">A path is null.</exception>
    /// <exception cref="ArgumentException">A path names a directory.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSamples"/> is not positive.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataFileException">A file is malformed or the two files disagree on the number of samples.</exception>
    public static Dataset<T> LoadDataset<T>(string imagesPath, string labelsPath, double scale = 1.0 / 255, int? maxSamples = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        FilePath.ThrowIfNotFile(imagesPath, nameof(imagesPath));
        FilePath.ThrowIfNotFile(labelsPath, nameof(labelsPath));
        if (maxSamples is { } m)
        {
            ThrowHelper.ThrowIfNotPositive(m, nameof(maxSamples));
        }

        int[] labels = ReadLabels(labelsPath);
        Matrix<T> images = ReadMatrix<T>(imagesPath, scale);
        if (images.RowCount != labels.Length)
        {
            throw new InvalidDataFileException($"{Path.GetFileName(imagesPath)} holds {images.RowCount} samples but {Path.GetFileName(labelsPath)} holds {labels.Length} labels.");
        }

        int n = Math.Min(labels.Length, maxSamples ?? int.MaxValue);
        var targets = new T[n];
        for (int i = 0; i < n; i++)
        {
            targets[i] = T.CreateChecked(labels[i]);
        }

        if (n < images.RowCount)
        {
            images = images.SubMatrix(0, n, 0, images.ColumnCount);
        }

        return new Dataset<T>(images, Matrix<T>.Build.Dense(n, 1, targets));
    }

    /// <summary>Writes values as an IDX file (row-major, big-endian), optionally gzip-compressed, atomically: through a
    /// temporary file beside the target that replaces it only when complete (as model files are saved).</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="dataType">Element type on disk; integer types must receive integral values in range.</param>
    /// <param name="dimensions">Dimensions, outermost first (1 to 255 of them, each positive).</param>
    /// <param name="values">The elements in row-major order; length = product of the dimensions.</param>
    /// <param name="compress">Write gzip.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names a directory; the dimensions are invalid or
    /// disagree with the values; or a value does not fit the type (an integer type receives a fraction, NaN, infinity
    /// or a value outside its range, e.g. 256 for <see cref="IdxDataType.UnsignedByte"/>; <see cref="IdxDataType.Single"/>
    /// receives a finite value beyond float's range). Nothing is written then.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, IdxDataType dataType, ReadOnlySpan<int> dimensions, ReadOnlySpan<double> values, bool compress = false)
    {
        FilePath.ThrowIfNotFile(path, nameof(path));
        if (dimensions.IsEmpty || dimensions.Length > 255)
        {
            throw new ArgumentException($"an IDX file has 1 to 255 dimensions, got {dimensions.Length}.", nameof(dimensions));
        }

        long count = 1;
        foreach (int d in dimensions)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"dimensions must be positive, got {string.Join('x', dimensions.ToArray())}.", nameof(dimensions));
            }

            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"dimensions {string.Join('x', dimensions.ToArray())} hold {count} values, got {values.Length}.", nameof(values));
        }

        int size = ElementSize(dataType) ?? throw new ArgumentException($"unknown IDX data type {dataType}.", nameof(dataType));

        // Every value is checked before the file is touched, so a bad value leaves the target as it was.
        for (int i = 0; i < values.Length; i++)
        {
            CheckFits(dataType, values[i], i);
        }

        byte[] header = new byte[4 + 4 * dimensions.Length];
        header[2] = (byte)dataType;
        header[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);
        }

        using AtomicFile save = AtomicFile.Create(path, nameof(path));
        GZipStream? gzip = compress ? new GZipStream(save.Stream, CompressionLevel.Optimal, leaveOpen: true) : null;
        using (gzip)
        {
            Stream stream = gzip ?? save.Stream;
            stream.Write(header);
            Span<byte> element = stackalloc byte[8];
            foreach (double v in values)
            {
                Encode(dataType, v, element[..size]);
                stream.Write(element[..size]);
            }
        }

        save.Commit();
    }

    /// <summary>Writes one checked value big-endian.</summary>
    private static void Encode(IdxDataType dataType, double v, Span<byte> element)
    {
        switch (dataType)
        {
            case IdxDataType.UnsignedByte:
                element[0] = (byte)v;
                break;
            case IdxDataType.SignedByte:
                element[0] = unchecked((byte)(sbyte)v);
                break;
            case IdxDataType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(element, (short)v);
                break;
            case IdxDataType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(element, (int)v);
                break;
            case IdxDataType.Single:
                BinaryPrimitives.WriteSingleBigEndian(element, (float)v);
                break;
            default:
                BinaryPrimitives.WriteDoubleBigEndian(element, v);
                break;
        }
    }

    /// <summary>Throws unless <paramref name="v"/> is exactly representable (integer types) or in range (float32).</summary>
    private static void CheckFits(IdxDataType type, double v, int index)
    {
        (double min, double max) = type switch
        {
            IdxDataType.UnsignedByte => (byte.MinValue, byte.MaxValue),
            IdxDataType.SignedByte => (sbyte.MinValue, sbyte.MaxValue),
            IdxDataType.Int16 => (short.MinValue, short.MaxValue),
            IdxDataType.Int32 => ((double)int.MinValue, (double)int.MaxValue),
            _ => (double.NaN, double.NaN),
        };
        if (!double.IsNaN(min))
        {
            if (!(v >= min && v <= max && v == Math.Floor(v)))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"value {index} is {v}, which IDX type {type} cannot hold (integers from {min} to {max})."), "values");
            }
        }
        else if (type == IdxDataType.Single && double.IsFinite(v) && !float.IsFinite((float)v))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"value {index} is {v}, beyond the range of IDX type Single (float32, at most {float.MaxValue:R} in magnitude)."), "values");
        }
    }

    private static int? ElementSize(IdxDataType type) => type switch
    {
        IdxDataType.UnsignedByte or IdxDataType.SignedByte => 1,
        IdxDataType.Int16 => 2,
        IdxDataType.Int32 or IdxDataType.Single => 4,
        IdxDataType.Double => 8,
        _ => null,
    };

    private static Reader Open(string path)
    {
        FileStream file = FilePath.OpenRead(path, nameof(path));
        string name = Path.GetFileName(path);
        Stream? stream = null;
        try
        {
            stream = GzipReadStream.OpenMaybeCompressed(file, name);
            return new Reader(stream, file.Length, name);
        }
        catch
        {
            (stream ?? file).Dispose();
            throw;
        }
    }

    /// <summary>Header parsing and size checks; then streams the elements out as doubles.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly Stream _stream;

        /// <param name="stream">The file, or a <see cref="GzipReadStream"/> over it; owned by the reader.</param>
        /// <param name="fileLength">The length of the file on disk.</param>
        /// <param name="name">The file name for messages.</param>
        public Reader(Stream stream, long fileLength, string name)
        {
            _stream = stream;
            Name = name;
            Span<byte> magic = stackalloc byte[4];
            var gzipStream = stream as GzipReadStream;
            bool gzip = gzipStream is not null;
            uint? trailerSize = gzipStream?.UncompressedLengthModulo32;
            int got = ReadFully(magic);
            if (got < 4)
            {
                throw new InvalidDataFileException($"{name}: truncated: {got} bytes where the 4-byte IDX magic number should be.");
            }

            if (magic[0] != 0 || magic[1] != 0)
            {
                throw new InvalidDataFileException($"{name}: wrong magic number {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}; an IDX file starts with 00 00, a type byte and the number of dimensions.");
            }

            int size = ElementSize((IdxDataType)magic[2])
                ?? throw new InvalidDataFileException($"{name}: unknown IDX element type 0x{magic[2]:X2} (known: 08, 09, 0B, 0C, 0D, 0E).");
            DataType = (IdxDataType)magic[2];
            ElementSizeBytes = size;
            int ndims = magic[3];
            if (ndims == 0)
            {
                throw new InvalidDataFileException($"{name}: the header declares 0 dimensions.");
            }

            var dims = new int[ndims];
            Span<byte> word = stackalloc byte[4];
            long count = 1;
            for (int i = 0; i < ndims; i++)
            {
                if (ReadFully(word) < 4)
                {
                    throw new InvalidDataFileException($"{name}: truncated in the header: dimension {i} of {ndims} is missing.");
                }

                dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (dims[i] <= 0)
                {
                    throw new InvalidDataFileException($"{name}: dimension {i} is {dims[i]}; IDX dimensions must be positive.");
                }

                count *= dims[i];
                if (count > Array.MaxLength)
                {
                    throw new InvalidDataFileException($"{name}: absurd dimensions: {string.Join('x', dims[..(i + 1)])}... exceed {Array.MaxLength:N0} elements.");
                }
            }

            Dimensions = dims;
            ElementCount = count;
            long headerBytes = 4 + 4L * ndims;
            long total = headerBytes + count * size;
            string shape = string.Join('x', dims);
            if (!gzip && total != fileLength)
            {
                throw new InvalidDataFileException(total > fileLength
                    ? $"{name}: truncated: header claims {shape} elements of {size} byte(s) = {total:N0} bytes with the header, but the file holds {fileLength:N0}."
                    : $"{name}: {fileLength - total:N0} unexpected bytes after the {shape} elements the header declares.");
            }

            if (gzip && (total > fileLength * Deflate.MaxRatio || (uint)total != trailerSize))
            {
                throw new InvalidDataFileException($"{name}: header claims {shape} elements of {size} byte(s) = {total:N0} bytes uncompressed, but the gzip trailer records {trailerSize:N0} bytes (mod 2^32) for {fileLength:N0} compressed bytes; the file is truncated or corrupt.");
            }
        }

        public string Name { get; }

        public IdxDataType DataType { get; }

        public int ElementSizeBytes { get; }

        public int[] Dimensions { get; }

        public long ElementCount { get; }

        /// <summary>Streams every element, in file order, to <paramref name="sink"/>; then checks nothing follows.</summary>
        public void ReadElements(Action<long, double> sink)
        {
            int size = ElementSizeBytes;
            byte[] buffer = new byte[size * 8192];
            long index = 0;
            while (index < ElementCount)
            {
                int want = (int)Math.Min(8192, ElementCount - index) * size;
                int got = ReadFully(buffer.AsSpan(0, want));
                if (got < want)
                {
                    throw new InvalidDataFileException($"{Name}: truncated: the header declares {ElementCount:N0} elements but the data ends after {index + got / size:N0}.");
                }

                for (int k = 0; k < want; k += size)
                {
                    ReadOnlySpan<byte> e = buffer.AsSpan(k, size);
                    double value = DataType switch
                    {
                        IdxDataType.UnsignedByte => e[0],
                        IdxDataType.SignedByte => (sbyte)e[0],
                        IdxDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(e),
                        IdxDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(e),
                        IdxDataType.Single => BinaryPrimitives.ReadSingleBigEndian(e),
                        _ => BinaryPrimitives.ReadDoubleBigEndian(e),
                    };
                    sink(index++, value);
                }
            }

            if (ReadFully(buffer.AsSpan(0, 1)) != 0)
            {
                throw new InvalidDataFileException($"{Name}: unexpected bytes after the {ElementCount:N0} elements the header declares.");
            }
        }

        private int ReadFully(Span<byte> destination)
        {
            try
            {
                return _stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataFileException($"{Name}: corrupt gzip data: {e.Message}", e);
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
