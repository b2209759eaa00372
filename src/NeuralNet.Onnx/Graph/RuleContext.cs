using System.Globalization;
using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Graph;

/// <summary>What an import rule sees: the match, the graph, the feature count and rank of the tensor it reads, and
/// checked readers for its parameters and attributes.</summary>
internal sealed class RuleContext(PatternMatch match, GraphIndex graph, int width, int rank, int opset, FeatureShape shape)
{
    public PatternMatch Match { get; } = match;

    public int Width { get; } = width;

    public int Rank { get; } = rank;

    public int Opset { get; } = opset;

    /// <summary>The sample shape of the tensor read: <c>C x H x W</c> when it is an image (rank 4), else what the
    /// rows hold.</summary>
    public FeatureShape Shape { get; } = shape;

    public string NodeName => Match.Root.Name.Length > 0 ? Match.Root.Name : Match.Output;

    public bool Has(string parameter) => Match.Parameters.ContainsKey(parameter);

    /// <summary>The dimensions and values of a parameter's constant.</summary>
    public (long[] Dims, double[] Values) Tensor(string parameter)
    {
        graph.TryConstant(Match.Parameters[parameter], out TensorProto tensor);
        return (TensorReader.Shape(tensor, graph.Source).Dims, TensorReader.ReadDoubles(tensor, graph.Source));
    }

    /// <summary>A parameter's integer values (Reshape's shape, Dropout's training flag).</summary>
    public long[] Integers(string parameter)
    {
        graph.TryConstant(Match.Parameters[parameter], out TensorProto tensor);
        return TensorReader.ReadIntegers(tensor, graph.Source);
    }

    /// <summary>A per-feature vector of <paramref name="length"/>: shape <c>[length]</c> or <c>[1, length]</c>, or a
    /// one-element tensor that broadcasts.</summary>
    public double[] Vector(string parameter, int length)
    {
        var (dims, values) = Tensor(parameter);
        if (values.Length == 1 && dims.All(d => d == 1))
        {
            return Enumerable.Repeat(values[0], length).ToArray();
        }

        bool vectorShape = dims.Length == 1 || (dims.Length == 2 && dims[0] == 1);
        if (!vectorShape || values.Length != length)
        {
            throw Fail($"{parameter} has shape [{string.Join(", ", dims)}] but the layer has {length} features");
        }

        return values;
    }

    /// <summary>A one-element parameter.</summary>
    public double Scalar(string parameter)
    {
        var (_, values) = Tensor(parameter);
        return values.Length == 1 ? values[0] : throw Fail($"{parameter} must be a scalar but holds {values.Length} values");
    }

    public double Float(string name, double fallback) => Attribute(name) is { } a ? a.F : fallback;

    public long Int(string name, long fallback) => Attribute(name) is { } a ? a.I : fallback;

    /// <summary>An integer-list attribute (kernel_shape, strides, pads), or null when the node has none.</summary>
    public long[]? Ints(string name) => Attribute(name)?.Ints.ToArray();

    public string String(string name, string fallback) => Attribute(name) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>The exception for a node the importer understands but cannot represent, naming it.</summary>
    public InvalidDataFileException Fail(string message) =>
        TensorReader.Invalid(graph.Source, string.Create(CultureInfo.InvariantCulture, $"node {GraphIndex.Describe(Match.Root)}: {message}"));

    private AttributeProto? Attribute(string name) => Match.Root.Attribute.FirstOrDefault(a => a.Name == name);
}
