using System.Buffers.Binary;
using System.Globalization;
using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Graph;

/// <summary>
/// Decodes initialisers and constants of an untrusted file. The element count the dimensions claim is checked (for
/// overflow, and against the values actually present in the parsed file) before anything is allocated, so a tensor
/// can never cost more memory than its bytes in the file.
/// </summary>
internal static class TensorReader
{
    /// <summary>The dimensions and element count of <paramref name="tensor"/>, checked.</summary>
    public static (long[] Dims, int Count) Shape(TensorProto tensor, string source)
    {
        RejectExternal(tensor, source);
        long count = 1;
        foreach (long d in tensor.Dims)
        {
            if (d < 0 || d > int.MaxValue)
            {
                throw Invalid(source, $"tensor '{tensor.Name}' has dimension {d}; dimensions must be between 0 and {int.MaxValue}");
            }

            count *= d;
            if (count > int.MaxValue)
            {
                throw Invalid(source, $"tensor '{tensor.Name}' claims {string.Join(" x ", tensor.Dims)} elements, more than any file can hold");
            }
        }

        return ([.. tensor.Dims], (int)count);
    }

    /// <summary>A FLOAT or DOUBLE tensor's values, widened to double (exactly).</summary>
    public static double[] ReadDoubles(TensorProto tensor, string source)
    {
        var (_, count) = Shape(tensor, source);
        switch ((TensorProto.Types.DataType)tensor.DataType)
        {
            case TensorProto.Types.DataType.Float:
            {
                if (tensor.HasRawData)
                {
                    CheckLength(tensor, source, count, tensor.RawData.Length, 4);
                    var values = new double[count];
                    ReadOnlySpan<byte> raw = tensor.RawData.Span;
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                    }

                    return values;
                }

                CheckCount(tensor, source, count, tensor.FloatData.Count);
                return tensor.FloatData.Select(f => (double)f).ToArray();
            }

            case TensorProto.Types.DataType.Double:
            {
                if (tensor.HasRawData)
                {
                    CheckLength(tensor, source, count, tensor.RawData.Length, 8);
                    var values = new double[count];
                    ReadOnlySpan<byte> raw = tensor.RawData.Span;
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]);
                    }

                    return values;
                }

                CheckCount(tensor, source, count, tensor.DoubleData.Count);
                return [.. tensor.DoubleData];
            }

            default:
                throw Invalid(source, $"tensor '{tensor.Name}' has element type {DataTypeName(tensor.DataType)}; weights must be FLOAT or DOUBLE");
        }
    }

    /// <summary>An INT64, INT32 or BOOL tensor's values (Reshape shapes, Dropout's training flag).</summary>
    public static long[] ReadIntegers(TensorProto tensor, string source)
    {
        var (_, count) = Shape(tensor, source);
        switch ((TensorProto.Types.DataType)tensor.DataType)
        {
            case TensorProto.Types.DataType.Int64:
                if (tensor.HasRawData)
                {
                    CheckLength(tensor, source, count, tensor.RawData.Length, 8);
                    return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span[(8 * i)..])).ToArray();
                }

                CheckCount(tensor, source, count, tensor.Int64Data.Count);
                return [.. tensor.Int64Data];
            case TensorProto.Types.DataType.Int32:
            case TensorProto.Types.DataType.Bool:
                int size = tensor.DataType == (int)TensorProto.Types.DataType.Bool ? 1 : 4;
                if (tensor.HasRawData)
                {
                    CheckLength(tensor, source, count, tensor.RawData.Length, size);
                    return Enumerable.Range(0, count)
                        .Select(i => size == 1 ? tensor.RawData.Span[i] : (long)BinaryPrimitives.ReadInt32LittleEndian(tensor.RawData.Span[(4 * i)..]))
                        .ToArray();
                }

                CheckCount(tensor, source, count, tensor.Int32Data.Count);
                return tensor.Int32Data.Select(v => (long)v).ToArray();
            default:
                throw Invalid(source, $"tensor '{tensor.Name}' has element type {DataTypeName(tensor.DataType)}; expected an integer tensor");
        }
    }

    /// <summary>The name of an ONNX element type, e.g. <c>FLOAT16</c>.</summary>
    public static string DataTypeName(int dataType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
            ? ((TensorProto.Types.DataType)dataType).ToString().ToUpperInvariant()
            : dataType.ToString(CultureInfo.InvariantCulture);

    /// <summary>Tensors whose data lives in another file are refused: a model is read from its own bytes only.</summary>
    public static void RejectExternal(TensorProto tensor, string source)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            string location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "?";
            throw Invalid(source, $"tensor '{tensor.Name}' refers to external data ('{location}'); only self-contained models are read");
        }
    }

    public static InvalidDataFileException Invalid(string source, string message) => new($"{source}: {message}.");

    private static void CheckLength(TensorProto tensor, string source, int count, int bytes, int size)
    {
        if ((long)count * size != bytes)
        {
            throw Invalid(source, string.Create(CultureInfo.InvariantCulture, $"tensor '{tensor.Name}' claims {Dims(tensor)} = {count:N0} elements ({(long)count * size:N0} bytes) but its raw_data holds {bytes:N0} bytes"));
        }
    }

    private static void CheckCount(TensorProto tensor, string source, int count, int present)
    {
        if (count != present)
        {
            throw Invalid(source, string.Create(CultureInfo.InvariantCulture, $"tensor '{tensor.Name}' claims {Dims(tensor)} = {count:N0} elements but holds {present:N0}"));
        }
    }

    private static string Dims(TensorProto tensor) => tensor.Dims.Count == 0 ? "a scalar" : string.Join(" x ", tensor.Dims);
}
