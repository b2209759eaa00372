using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Graph;

/// <summary>A pattern found in a graph: its nodes, the root node whose first output is the result, and the tensors
/// bound to each named parameter.</summary>
internal sealed class PatternMatch(NodeProto root, HashSet<NodeProto> nodes, Dictionary<string, string> parameters)
{
    public NodeProto Root { get; } = root;

    public IReadOnlySet<NodeProto> Nodes { get; } = nodes;

    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public string Output => Root.Output[0];
}

/// <summary>
/// Recognises a <see cref="Pattern"/> in a graph, from a candidate root node back to the input tensor <c>x</c>.
/// Constants may be initialisers or <c>Constant</c> nodes; <c>Add</c> and <c>Mul</c> match in either operand order.
/// A match is accepted only when it is closed: no tensor computed inside it is read outside it or is a graph output.
/// </summary>
internal static class PatternMatcher
{
    /// <summary>The match of <paramref name="pattern"/> rooted at <paramref name="root"/>, applied to tensor
    /// <paramref name="x"/>; null when the graph does not have that shape there.</summary>
    public static PatternMatch? TryMatch(Pattern pattern, GraphIndex graph, string x, NodeProto root)
    {
        if (pattern is not OpPattern op || root.Output.Count == 0)
        {
            return null;
        }

        var state = new State(new HashSet<NodeProto>(ReferenceEqualityComparer.Instance), new Dictionary<string, string>(StringComparer.Ordinal));
        if (!Match(op, root.Output[0], graph, x, ref state))
        {
            return null;
        }

        var match = new PatternMatch(root, state.Nodes, state.Parameters);
        return IsClosed(match, graph) ? match : null;
    }

    private static bool Match(Pattern pattern, string tensor, GraphIndex graph, string x, ref State state)
    {
        switch (pattern)
        {
            case InputPattern:
                return tensor == x;
            case ConstPattern c:
                return graph.TryScalar(tensor, out double value) && Math.Abs(value - c.Value) <= 1e-6 * Math.Max(1, Math.Abs(c.Value));
            case ParamPattern p:
                if (!graph.TryConstant(tensor, out _) || (p.IsScalar && !graph.TryScalar(tensor, out _)))
                {
                    return false;
                }

                if (state.Parameters.TryGetValue(p.Name, out string? bound))
                {
                    return bound == tensor;
                }

                state.Parameters[p.Name] = tensor;
                return true;
            case OpPattern op:
                NodeProto? node = graph.Producer(tensor);
                if (node is null || node.OpType != op.OpType || !GraphIndex.IsDefaultDomain(node) || node.Output[0] != tensor
                    || InputCount(node) != op.Inputs.Count || !AttributesMatch(op, node, graph))
                {
                    return false;
                }

                if (state.Nodes.Contains(node))
                {
                    // A sub-expression used twice (batch norm's scale): the same node, already matched.
                    return true;
                }

                State saved = state.Copy();
                state.Nodes.Add(node);
                if (MatchInputs(op, node, [.. op.Inputs], graph, x, ref state))
                {
                    return true;
                }

                state = saved.Copy();
                if (op.IsCommutative)
                {
                    state.Nodes.Add(node);
                    if (MatchInputs(op, node, [op.Inputs[1], op.Inputs[0]], graph, x, ref state))
                    {
                        return true;
                    }

                    state = saved;
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Inputs given, not counting trailing empty names (ONNX's way of leaving optional inputs out).</summary>
    private static int InputCount(NodeProto node)
    {
        int count = node.Input.Count;
        while (count > 0 && node.Input[count - 1].Length == 0)
        {
            count--;
        }

        return count;
    }

    private static bool MatchInputs(OpPattern op, NodeProto node, Pattern[] inputs, GraphIndex graph, string x, ref State state)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!Match(inputs[i], node.Input[i], graph, x, ref state))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AttributesMatch(OpPattern op, NodeProto node, GraphIndex graph)
    {
        foreach (var (name, value) in op.IntAttributes)
        {
            AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
            if (attribute is null)
            {
                return false;
            }

            bool ok = value == OpPattern.ElementTypeAttribute
                ? attribute.I is (long)TensorProto.Types.DataType.Float or (long)TensorProto.Types.DataType.Double
                : attribute.I == value;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsClosed(PatternMatch match, GraphIndex graph)
    {
        foreach (NodeProto node in match.Nodes)
        {
            for (int i = 0; i < node.Output.Count; i++)
            {
                string output = node.Output[i];
                if (output.Length == 0 || (ReferenceEquals(node, match.Root) && i == 0))
                {
                    continue;
                }

                if (graph.GraphOutputs.Contains(output) || graph.Consumers(output).Any(c => !match.Nodes.Contains(c)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private struct State(HashSet<NodeProto> nodes, Dictionary<string, string> parameters)
    {
        public HashSet<NodeProto> Nodes = nodes;
        public Dictionary<string, string> Parameters = parameters;

        public readonly State Copy() =>
            new(new HashSet<NodeProto>(Nodes, ReferenceEqualityComparer.Instance), new Dictionary<string, string>(Parameters, StringComparer.Ordinal));
    }
}
