using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Graph;

/// <summary>
/// An expression over one input tensor <c>x</c>, scalar constants and named initialisers, written once and used both
/// ways: the exporter emits it as nodes (<c>Emit</c>), the importer recognises it in a graph
/// (<c>PatternMatcher</c>). Decompositions such as <c>GELU = x/2 (1 + erf(x/√2))</c> therefore round-trip
/// by construction, and PyTorch's own decompositions are the same trees with its operand order.
/// </summary>
internal abstract class Pattern
{
    /// <summary>The input tensor <c>x</c> the expression is applied to.</summary>
    public static Pattern X { get; } = new InputPattern();

    /// <summary>A scalar constant of the graph's element type.</summary>
    public static Pattern C(double value) => new ConstPattern(value);

    /// <summary>A named initialiser (vector or scalar) captured by the matcher and supplied to the emitter.</summary>
    public static Pattern P(string name) => new ParamPattern(name, scalar: false);

    /// <summary>A named one-element initialiser: the matcher binds only a scalar to it, so the operands of
    /// <c>Add(variance, epsilon)</c> cannot be bound the wrong way round.</summary>
    public static Pattern PScalar(string name) => new ParamPattern(name, scalar: true);

    /// <summary>A node of the default ONNX domain.</summary>
    public static OpPattern Op(string opType, params Pattern[] inputs) => new(opType, inputs);

    /// <summary>Emits the expression applied to tensor <paramref name="x"/> and returns the name of its output.</summary>
    public string Emit(GraphWriter writer, string x, IReadOnlyDictionary<string, double[]> parameters) =>
        Emit(writer, x, parameters, new Dictionary<Pattern, string>(ReferenceEqualityComparer.Instance));

    /// <summary>Emits this expression; <paramref name="emitted"/> makes a sub-expression used twice one set of nodes.</summary>
    internal abstract string Emit(GraphWriter writer, string x, IReadOnlyDictionary<string, double[]> parameters, Dictionary<Pattern, string> emitted);
}

/// <summary>The input <c>x</c>.</summary>
internal sealed class InputPattern : Pattern
{
    internal override string Emit(GraphWriter writer, string x, IReadOnlyDictionary<string, double[]> parameters, Dictionary<Pattern, string> emitted) => x;
}

/// <summary>A scalar constant; matched within a relative 1e-6 so float-rounded constants (√2 as a float) match.</summary>
internal sealed class ConstPattern(double value) : Pattern
{
    public double Value { get; } = value;

    internal override string Emit(GraphWriter writer, string x, IReadOnlyDictionary<string, double[]> parameters, Dictionary<Pattern, string> emitted) =>
        writer.Scalar(Value);
}

/// <summary>A named initialiser, optionally restricted to one element.</summary>
internal sealed class ParamPattern(string name, bool scalar) : Pattern
{
    public string Name { get; } = name;

    public bool IsScalar { get; } = scalar;

    internal override string Emit(GraphWriter writer, string x, IReadOnlyDictionary<string, double[]> parameters, Dictionary<Pattern, string> emitted)
    {
        if (!emitted.TryGetValue(this, out string? output))
        {
            double[] values = parameters[Name];
            output = values.Length == 1 ? writer.Scalar(values[0]) : writer.Initializer(Name, values, [values.Length]);
            emitted[this] = output;
        }

        return output;
    }
}

/// <summary>A node: operator type, inputs and integer attributes (<see cref="ElementTypeAttribute"/> stands for the
/// graph's element type, as <c>Cast(to=...)</c> needs).</summary>
internal sealed class OpPattern(string opType, Pattern[] inputs) : Pattern
{
    /// <summary>Attribute value meaning "the graph's element type" (FLOAT or DOUBLE).</summary>
    public const long ElementTypeAttribute = -1;

    public string OpType { get; } = opType;

    public IReadOnlyList<Pattern> Inputs { get; } = inputs;

    public IReadOnlyList<(string Name, long Value)> IntAttributes { get; private init; } = [];

    /// <summary>Addition and multiplication: the matcher tries both operand orders.</summary>
    public bool IsCommutative => OpType is "Add" or "Mul" && Inputs.Count == 2;

    /// <summary>This pattern with an integer attribute.</summary>
    public OpPattern With(string name, long value) => new(OpType, [.. Inputs]) { IntAttributes = [.. IntAttributes, (name, value)] };

    internal override string Emit(GraphWriter writer, string x, IReadOnlyDictionary<string, double[]> parameters, Dictionary<Pattern, string> emitted)
    {
        if (emitted.TryGetValue(this, out string? output))
        {
            return output;
        }

        string[] inputNames = Inputs.Select(p => p.Emit(writer, x, parameters, emitted)).ToArray();
        AttributeProto[] attributes = IntAttributes
            .Select(a => GraphWriter.IntAttribute(a.Name, a.Value == ElementTypeAttribute ? (long)writer.ElementType : a.Value))
            .ToArray();
        output = writer.Node(OpType, inputNames, attributes);
        emitted[this] = output;
        return output;
    }
}
