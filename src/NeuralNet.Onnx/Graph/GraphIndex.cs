using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Graph;

/// <summary>
/// Who produces and who reads each tensor of a graph, and which tensors are constants (initialisers and the outputs
/// of <c>Constant</c> nodes). Built once; checks that every name is produced once and every input exists.
/// </summary>
internal sealed class GraphIndex
{
    private static readonly IReadOnlyList<NodeProto> NoNodes = [];
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);

    public GraphIndex(GraphProto graph, string source)
    {
        Graph = graph;
        Source = source;
        foreach (TensorProto initializer in graph.Initializer)
        {
            TensorReader.RejectExternal(initializer, source);
            if (!_constants.TryAdd(initializer.Name, initializer))
            {
                throw TensorReader.Invalid(source, $"two initialisers are named '{initializer.Name}'");
            }
        }

        foreach (NodeProto node in graph.Node)
        {
            foreach (string output in node.Output.Where(o => o.Length > 0))
            {
                if (_constants.ContainsKey(output) || !_producers.TryAdd(output, node))
                {
                    throw TensorReader.Invalid(source, $"tensor '{output}' is produced twice (node {Describe(node)})");
                }
            }

            if (node.OpType == "Constant" && IsDefaultDomain(node) && node.Output.Count == 1)
            {
                _constants[node.Output[0]] = ConstantValue(node, source);
            }
        }

        var graphInputs = new HashSet<string>(graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        foreach (NodeProto node in graph.Node)
        {
            foreach (string input in node.Input.Where(i => i.Length > 0))
            {
                if (!_producers.ContainsKey(input) && !_constants.ContainsKey(input) && !graphInputs.Contains(input))
                {
                    throw TensorReader.Invalid(source, $"the graph does not chain: node {Describe(node)} reads tensor '{input}', which no node, initialiser or input provides");
                }

                if (!_consumers.TryGetValue(input, out List<NodeProto>? list))
                {
                    _consumers[input] = list = [];
                }

                // A node reading a tensor twice (Mul(x, x)) is one reader; its inputs are visited together, so the
                // last reader added is the only one to compare with (a linear scan would be quadratic in fan-out).
                if (list.Count == 0 || !ReferenceEquals(list[^1], node))
                {
                    list.Add(node);
                }
            }
        }

        GraphOutputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
    }

    public GraphProto Graph { get; }

    public string Source { get; }

    public IReadOnlySet<string> GraphOutputs { get; }

    public NodeProto? Producer(string tensor) => _producers.GetValueOrDefault(tensor);

    public IReadOnlyList<NodeProto> Consumers(string tensor) => _consumers.TryGetValue(tensor, out List<NodeProto>? list) ? list : NoNodes;

    public bool TryConstant(string tensor, out TensorProto value) => _constants.TryGetValue(tensor, out value!);

    /// <summary>The value of a one-element FLOAT or DOUBLE (or integer) constant.</summary>
    public bool TryScalar(string tensor, out double value)
    {
        value = 0;
        if (!_constants.TryGetValue(tensor, out TensorProto? t))
        {
            return false;
        }

        var (_, count) = TensorReader.Shape(t, Source);
        if (count != 1)
        {
            return false;
        }

        switch ((TensorProto.Types.DataType)t.DataType)
        {
            case TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double:
                value = TensorReader.ReadDoubles(t, Source)[0];
                return true;
            case TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Int32:
                value = TensorReader.ReadIntegers(t, Source)[0];
                return true;
            default:
                return false;
        }
    }

    public static bool IsDefaultDomain(NodeProto node) => node.Domain is "" or "ai.onnx";

    /// <summary>A node as messages name it: <c>'name' (OpType)</c>.</summary>
    public static string Describe(NodeProto node) => $"'{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "?")}' ({node.OpType})";

    private static TensorProto ConstantValue(NodeProto node, string source)
    {
        AttributeProto? attribute = node.Attribute.FirstOrDefault();
        switch (attribute?.Name)
        {
            case "value" when attribute.T is not null:
                TensorReader.RejectExternal(attribute.T, source);
                return attribute.T;
            case "value_float":
                var f = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Name = node.Output[0] };
                f.FloatData.Add(attribute.F);
                return f;
            case "value_floats":
                var fs = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Name = node.Output[0] };
                fs.Dims.Add(attribute.Floats.Count);
                fs.FloatData.AddRange(attribute.Floats);
                return fs;
            case "value_int":
                var i = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64, Name = node.Output[0] };
                i.Int64Data.Add(attribute.I);
                return i;
            case "value_ints":
                var ints = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64, Name = node.Output[0] };
                ints.Dims.Add(attribute.Ints.Count);
                ints.Int64Data.AddRange(attribute.Ints);
                return ints;
            default:
                throw TensorReader.Invalid(source, $"Constant node {Describe(node)} has no supported value attribute (found '{attribute?.Name}')");
        }
    }
}
