using Google.Protobuf;
using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>Builds small ONNX models by hand, in the shapes other exporters (tf2onnx, older PyTorch) write, so the
/// importer can be checked against ONNX Runtime running the very same bytes.</summary>
internal sealed class HandGraph
{
    private readonly ModelProto _model;
    private readonly GraphProto _graph = new() { Name = "hand" };
    private readonly bool _double;
    private readonly Random _random = new(17);

    /// <summary>A graph with input <c>x</c> of shape <c>[batch, sampleDims...]</c>.</summary>
    public HandGraph(int opset, bool isDouble, params int[] sampleDims)
    {
        _double = isDouble;
        _model = new ModelProto { IrVersion = opset >= 15 ? 8 : 7, ProducerName = "hand", Graph = _graph };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        _graph.Input.Add(Info("x", [-1, .. sampleDims]));
    }

    private int ElementType => (int)(_double ? TensorProto.Types.DataType.Double : TensorProto.Types.DataType.Float);

    /// <summary>A random initialiser stored in float_data/double_data (<paramref name="raw"/> false) or raw_data.</summary>
    public string Init(string name, long[] dims, bool raw = false, double offset = 0)
    {
        long count = dims.Aggregate(1L, (p, d) => p * d);
        double[] values = Enumerable.Range(0, (int)count).Select(_ => offset + 2 * _random.NextDouble() - 1).ToArray();
        var tensor = new TensorProto { Name = name, DataType = ElementType };
        tensor.Dims.AddRange(dims);
        if (raw)
        {
            tensor.RawData = ByteString.CopyFrom(_double
                ? values.SelectMany(BitConverter.GetBytes).ToArray()
                : values.SelectMany(v => BitConverter.GetBytes((float)v)).ToArray());
        }
        else if (_double)
        {
            tensor.DoubleData.AddRange(values);
        }
        else
        {
            tensor.FloatData.AddRange(values.Select(v => (float)v));
        }

        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An INT64 initialiser (Reshape's shape).</summary>
    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A <c>Constant</c> node holding one scalar of the element type.</summary>
    public string ConstantScalar(string name, double value)
    {
        var tensor = new TensorProto { DataType = ElementType };
        if (_double)
        {
            tensor.DoubleData.Add(value);
        }
        else
        {
            tensor.FloatData.Add((float)value);
        }

        var node = new NodeProto { OpType = "Constant", Name = name, Output = { name } };
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
        _graph.Node.Add(node);
        return name;
    }

    /// <summary>Adds a node; returns its output's name.</summary>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        string output = $"{opType.ToLowerInvariant()}_{_graph.Node.Count}";
        var node = new NodeProto { OpType = opType, Name = output + "_node", Output = { output } };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    public static AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Marks <paramref name="tensor"/> as the output <c>[batch, width]</c> and returns the model's bytes.</summary>
    public byte[] Finish(string tensor, int width)
    {
        _graph.Output.Add(Info(tensor, [-1, width]));
        return _model.ToByteArray();
    }

    private ValueInfoProto Info(string name, int[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (int d in dims)
        {
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = ElementType, Shape = shape } } };
    }
}
