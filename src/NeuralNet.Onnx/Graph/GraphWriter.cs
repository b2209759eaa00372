using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Graph;

/// <summary>
/// Builds a <see cref="GraphProto"/> of one element type (FLOAT or DOUBLE): nodes with unique names and outputs,
/// initialisers written little-endian in <c>raw_data</c> (the layout ONNX defines for raw tensor data), and scalar
/// constants shared by value.
/// </summary>
internal sealed class GraphWriter
{
    private readonly Dictionary<long, string> _scalars = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nodeCount;

    public GraphWriter(TensorProto.Types.DataType elementType, string graphName)
    {
        ElementType = elementType;
        Graph = new GraphProto { Name = graphName };
    }

    /// <summary>FLOAT or DOUBLE.</summary>
    public TensorProto.Types.DataType ElementType { get; }

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; }

    /// <summary>A prefix for node and tensor names, e.g. <c>layer2</c>; set by the exporter before each layer.</summary>
    public string Scope { get; set; } = "graph";

    /// <summary>Reserves a tensor name (graph inputs and outputs) so generated names never collide with it.</summary>
    public void Reserve(string name) => _names.Add(name);

    /// <summary>Adds a node and returns the name of its (first) output.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        NodeWithOutput(opType, inputs, Unique($"{Scope}/{opType}_out"), attributes);

    /// <summary>Adds a node whose output has a given name (the graph output).</summary>
    public string NodeWithOutput(string opType, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{Scope}/{opType}_{_nodeCount++.ToString(CultureInfo.InvariantCulture)}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds an initialiser of the graph's element type and returns its name.</summary>
    public string Initializer(string baseName, ReadOnlySpan<double> values, long[] dims)
    {
        string name = Unique($"{Scope}.{baseName}");
        Graph.Initializer.Add(Tensor(name, values, dims));
        return name;
    }

    /// <summary>A scalar (rank-0) initialiser of the graph's element type, shared by every use of the same value.</summary>
    public string Scalar(double value)
    {
        long key = BitConverter.DoubleToInt64Bits(value);
        if (!_scalars.TryGetValue(key, out string? name))
        {
            name = Unique("const_" + value.ToString("R", CultureInfo.InvariantCulture).Replace('-', 'm'));
            Graph.Initializer.Add(Tensor(name, [value], []));
            _scalars[key] = name;
        }

        return name;
    }

    /// <summary>A tensor of the graph's element type with <paramref name="values"/> in <c>raw_data</c>.</summary>
    public TensorProto Tensor(string name, ReadOnlySpan<double> values, long[] dims)
    {
        int size = ElementType == TensorProto.Types.DataType.Float ? 4 : 8;
        byte[] raw = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (size == 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), (float)values[i]);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(8 * i), values[i]);
            }
        }

        var tensor = new TensorProto { Name = name, DataType = (int)ElementType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    /// <summary>A Constant node holding a 1-D int64 tensor (a shape for Reshape); returns its output.</summary>
    public string Int64Constant(string baseName, params long[] values) =>
        Node("Constant", [], IntsAttribute("value_ints", values));

    /// <summary>A FLOAT attribute.</summary>
    public static AttributeProto FloatAttribute(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    /// <summary>A STRING attribute (UTF-8).</summary>
    public static AttributeProto StringAttribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{name}_{i}");
        }

        return candidate;
    }
}
