using System.Globalization;
using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Graph;

/// <summary>The feedforward chain read from a graph: steps from the input to the output, in order.</summary>
internal sealed record ImportedGraph(
    IReadOnlyList<ImportStep> Steps, FeatureShape InputShape, string InputName, string OutputName, string? ArgMaxName,
    TensorProto.Types.DataType ElementType, int Opset);

/// <summary>
/// Reads a graph as a chain of layers: from the single input, at each tensor the largest rule match that consumes it
/// (every reader of the tensor must belong to the match, so branches are refused) becomes the next step, until the
/// output. Every node must lie on the chain.
/// </summary>
internal static class ChainReader
{
    /// <summary>Opsets whose operators the rules describe (Softmax before 13 flattens to 2-D, which is the same on
    /// [N, features]).</summary>
    public const int MinOpset = 9;

    /// <summary>The newest opset read.</summary>
    public const int MaxOpset = 23;

    /// <summary>The widest input accepted, as for model files.</summary>
    internal const long MaxWidth = 1 << 24;

    /// <summary>How far ahead of a tensor the root of a decomposition may lie (GELU's tanh form is 9 nodes deep).</summary>
    private const int SearchDepth = 12;

    /// <summary>The most nodes a rule may need to look at from one tensor (the largest pattern has 11). Together with
    /// <see cref="MaxReaders"/> it keeps the work per layer constant, so a hostile fan-out cannot make reading quadratic.</summary>
    private const int MaxCandidates = 64;

    /// <summary>The most nodes that may read one tensor (GELU's tanh form reads x four times).</summary>
    private const int MaxReaders = 8;

    public static ImportedGraph Read(ModelProto model, string source)
    {
        GraphProto graph = model.Graph ?? throw TensorReader.Invalid(source, "the model has no graph");
        int opset = Opset(model, source);
        if (graph.SparseInitializer.Count > 0)
        {
            throw TensorReader.Invalid(source, "the graph has sparse initialisers, which are not supported");
        }

        RejectUnsupportedOperators(graph, source);
        var index = new GraphIndex(graph, source);
        var (inputName, elementType, width, rank) = Input(graph, index, source);
        FeatureShape inputShape = SampleShape(graph, inputName, width);

        var steps = new List<ImportStep>();
        var visited = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        string current = inputName;
        string? argMax = null;
        FeatureShape shape = inputShape;
        while (true)
        {
            IReadOnlyList<NodeProto> readers = index.Consumers(current);
            if (readers.Count == 0)
            {
                break;
            }

            if (readers.Count == 1 && readers[0].OpType == "ArgMax" && index.GraphOutputs.Contains(current))
            {
                argMax = ArgMaxOutput(readers[0], index, source);
                visited.Add(readers[0]);
                break;
            }

            if (readers.Count > MaxReaders)
            {
                throw TensorReader.Invalid(source, $"the graph does not chain at tensor '{current}': {readers.Count} nodes read it (for example {string.Join(", ", readers.Take(3).Select(GraphIndex.Describe))})");
            }

            var (rule, match) = BestMatch(index, current, readers, visited)
                ?? throw TensorReader.Invalid(source, $"the graph does not chain at tensor '{current}': {string.Join(", ", readers.Select(GraphIndex.Describe))} form no supported layer (docs/onnx.md lists the supported operators and patterns)");
            var context = new RuleContext(match, index, width, rank, opset, shape);
            ImportStep step = rule.Build(context);
            if (step is ScalerStep && steps.Any(s => s is not PassStep))
            {
                throw context.Fail("a Sub/Div scaler is only supported in front of the first layer");
            }

            steps.Add(step);
            visited.UnionWith(match.Nodes);
            current = match.Output;
            // Flattening keeps the image shape: the rows still hold C·H·W values in NCHW order.
            (width, rank, shape) = step switch
            {
                DenseStep dense => (dense.Outputs, 2, FeatureShape.Flat(dense.Outputs)),
                WindowStep window => (window.Output.Size, 4, window.Output),
                PassStep { Image: { } image } => (width, 4, image),
                PassStep when rule.Name is "Flatten" or "Reshape" => (width, 2, shape),
                _ => (width, rank, shape),
            };
        }

        CheckOutputs(graph, index, current, argMax, visited, rank, source);
        return new ImportedGraph(steps, inputShape, inputName, current, argMax, elementType, opset);
    }

    private static int Opset(ModelProto model, string source)
    {
        OperatorSetIdProto? onnx = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (onnx is null)
        {
            throw TensorReader.Invalid(source, "the model imports no ONNX operator set");
        }

        if (onnx.Version is < MinOpset or > MaxOpset)
        {
            throw TensorReader.Invalid(source, $"operator set {onnx.Version} is not supported (supported: {MinOpset} to {MaxOpset})");
        }

        return (int)onnx.Version;
    }

    private static void RejectUnsupportedOperators(GraphProto graph, string source)
    {
        var unsupported = graph.Node
            .Where(n => !GraphIndex.IsDefaultDomain(n) || !ImportRules.OperatorTypes.Contains(n.OpType))
            .GroupBy(n => GraphIndex.IsDefaultDomain(n) ? n.OpType : $"{n.Domain}.{n.OpType}", StringComparer.Ordinal)
            .Select(g => $"{g.Key} (nodes {string.Join(", ", g.Take(5).Select(n => $"'{(n.Name.Length > 0 ? n.Name : n.Output.FirstOrDefault())}'"))}{(g.Count() > 5 ? ", ..." : "")})")
            .ToList();
        if (unsupported.Count > 0)
        {
            throw TensorReader.Invalid(source, $"unsupported operators: {string.Join("; ", unsupported)}");
        }
    }

    private static (string Name, TensorProto.Types.DataType Type, int Width, int Rank) Input(GraphProto graph, GraphIndex index, string source)
    {
        // Before IR 4 initialisers were also listed as inputs; the data input is the one that is not an initialiser.
        var inputs = graph.Input.Where(i => !index.TryConstant(i.Name, out _)).ToList();
        if (inputs.Count != 1)
        {
            throw TensorReader.Invalid(source, $"the graph has {inputs.Count} data inputs ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); a feedforward network has one");
        }

        ValueInfoProto input = inputs[0];
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType is not ((int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double))
        {
            throw TensorReader.Invalid(source, $"input '{input.Name}' is {(tensor is null ? "not a tensor" : TensorReader.DataTypeName(tensor.ElemType))}; FLOAT or DOUBLE tensors are supported");
        }

        if (tensor.Shape is null || tensor.Shape.Dim.Count < 2)
        {
            throw TensorReader.Invalid(source, $"input '{input.Name}' must have a known shape [N, features] (or [N, C, H, W] before a Flatten); it has {tensor.Shape?.Dim.Count ?? 0} dimensions");
        }

        long width = 1;
        foreach (var dim in tensor.Shape.Dim.Skip(1))
        {
            if (!dim.HasDimValue || dim.DimValue <= 0)
            {
                throw TensorReader.Invalid(source, $"input '{input.Name}' has a feature dimension '{(dim.HasDimParam ? dim.DimParam : dim.DimValue.ToString(CultureInfo.InvariantCulture))}'; all but the batch dimension must be positive numbers");
            }

            width *= dim.DimValue;
            if (width > MaxWidth)
            {
                throw TensorReader.Invalid(source, string.Create(CultureInfo.InvariantCulture, $"input '{input.Name}' claims more than {MaxWidth:N0} features per sample"));
            }
        }

        return (input.Name, (TensorProto.Types.DataType)tensor.ElemType, (int)width, tensor.Shape.Dim.Count);
    }

    /// <summary>One sample's shape: <c>[N, C, H, W]</c> gives C x H x W, <c>[N, H, W]</c> 1 x H x W, anything else flat.</summary>
    private static FeatureShape SampleShape(GraphProto graph, string inputName, int width)
    {
        long[] dims = graph.Input.First(i => i.Name == inputName).Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray();
        return dims.Length switch
        {
            3 => new FeatureShape((int)dims[0], (int)dims[1], (int)dims[2]),
            2 => new FeatureShape(1, (int)dims[0], (int)dims[1]),
            _ => FeatureShape.Flat(width),
        };
    }

    private static (ImportRule Rule, PatternMatch Match)? BestMatch(GraphIndex index, string current, IReadOnlyList<NodeProto> readers, HashSet<NodeProto> visited)
    {
        // Nodes up to SearchDepth steps downstream of the tensor: candidate roots of a pattern.
        var candidates = new List<NodeProto>();
        var seen = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var frontier = new List<NodeProto>(readers);
        for (int depth = 0; depth < SearchDepth && frontier.Count > 0; depth++)
        {
            var next = new List<NodeProto>();
            foreach (NodeProto node in frontier.Where(n => seen.Add(n) && !visited.Contains(n)))
            {
                if (candidates.Count == MaxCandidates)
                {
                    break;
                }

                candidates.Add(node);
                next.AddRange(node.Output.Where(o => o.Length > 0).SelectMany(index.Consumers));
            }

            frontier = next;
        }

        (ImportRule Rule, PatternMatch Match)? best = null;
        foreach (ImportRule rule in ImportRules.All)
        {
            foreach (NodeProto root in candidates.Where(n => n.OpType == rule.Pattern.OpType))
            {
                PatternMatch? match = PatternMatcher.TryMatch(rule.Pattern, index, current, root);
                if (match is not null && readers.All(match.Nodes.Contains) && !match.Nodes.Any(visited.Contains)
                    && (best is null || match.Nodes.Count > best.Value.Match.Nodes.Count))
                {
                    best = (rule, match);
                }
            }
        }

        return best;
    }

    private static string ArgMaxOutput(NodeProto argMax, GraphIndex index, string source)
    {
        long axis = argMax.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
        if (axis is not (1 or -1) || argMax.Output.Count != 1 || !index.GraphOutputs.Contains(argMax.Output[0]))
        {
            throw TensorReader.Invalid(source, $"node {GraphIndex.Describe(argMax)}: only an ArgMax over axis 1 that is a graph output is supported");
        }

        return argMax.Output[0];
    }

    private static void CheckOutputs(GraphProto graph, GraphIndex index, string current, string? argMax, HashSet<NodeProto> visited, int rank, string source)
    {
        if (!index.GraphOutputs.Contains(current))
        {
            throw TensorReader.Invalid(source, $"the graph does not chain: the layers end at tensor '{current}', which is not a graph output");
        }

        if (rank != 2)
        {
            throw TensorReader.Invalid(source, $"the output '{current}' has rank {rank}; a [N, outputs] output is supported");
        }

        string? stray = graph.Output.Select(o => o.Name).FirstOrDefault(o => o != current && o != argMax);
        if (stray is not null)
        {
            throw TensorReader.Invalid(source, $"graph output '{stray}' is not computed by the chain of layers");
        }

        NodeProto? orphan = graph.Node.FirstOrDefault(n => !visited.Contains(n) && n.OpType != "Constant");
        if (orphan is not null)
        {
            throw TensorReader.Invalid(source, $"the graph does not chain: node {GraphIndex.Describe(orphan)} is not on the path from the input to the output");
        }
    }
}
