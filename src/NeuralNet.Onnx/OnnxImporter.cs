using System.Numerics;
using System.Text.Json;
using Google.Protobuf;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Onnx.Activations;
using NeuralNet.Onnx.Graph;
using NeuralNet.Onnx.Layers;
using NeuralNet.Onnx.Protobuf;

namespace NeuralNet.Onnx;

/// <summary>
/// Reads feedforward ONNX models, as <c>torch.onnx.export</c>, tf2onnx and <see cref="OnnxExporter"/> write them, into a
/// <see cref="Network{T}"/>: <c>Gemm</c> or <c>MatMul</c> + <c>Add</c> become dense layers, the activation after one is
/// folded into it, <c>BatchNormalization</c> becomes a batch-norm layer, <c>Conv</c>, <c>MaxPool</c>, <c>AveragePool</c>
/// and <c>GlobalAveragePool</c> on <c>[N, C, H, W]</c> become convolution and pooling layers (a <c>Flatten</c> from
/// them into a dense layer becomes a flatten layer), <c>Identity</c>, <c>Dropout</c>, other <c>Flatten</c>s and
/// <c>Reshape</c> to <c>[N, -1]</c> or to an image disappear, and <c>Sub</c>/<c>Div</c> in front become the scaler.
/// docs/onnx.md has the full table.
/// </summary>
/// <remarks>
/// The file is untrusted input: it is parsed with a recursion limit and a size limit equal to its length, tensors are
/// checked against the data they really hold before anything is allocated (so memory stays within a small multiple of
/// the file's size), external data is refused, and every problem raises <see cref="InvalidDataFileException"/> naming
/// the node or tensor at fault.
/// </remarks>
public static class OnnxImporter
{
    /// <summary>The largest file read: protocol buffers cannot encode a message over 2 GiB.</summary>
    public const long MaxFileBytes = int.MaxValue;

    /// <summary>How deeply messages may nest (graphs inside attributes, types inside types).</summary>
    private const int RecursionLimit = 64;

    /// <summary>Reads the ONNX model at <paramref name="path"/>.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidDataFileException">The file is not a valid ONNX model, or uses operators or graph shapes the
    /// importer does not support (the message lists the operator types and node names).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OnnxModel<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxFileBytes)
        {
            throw new InvalidDataFileException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {stream.Length:N0} bytes is more than an ONNX file can hold ({MaxFileBytes:N0})."));
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Load<T>(bytes, Path.GetFileName(path));
    }

    /// <summary>Reads an ONNX model from its bytes.</summary>
    /// <param name="model">The protobuf encoding of a <c>ModelProto</c>.</param>
    /// <param name="source">A name for messages, e.g. the file name.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataFileException">As for <see cref="Load{T}(string)"/>.</exception>
    public static OnnxModel<T> Load<T>(byte[] model, string source = "model") where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ActivationLayerCodec.EnsureRegistered();
        ModelProto proto = Parse(model, source);
        ImportedGraph graph = ChainReader.Read(proto, source);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (StringStringEntryProto entry in proto.MetadataProps)
        {
            metadata[entry.Key] = entry.Value;
        }

        var (network, scaler) = Build<T>(graph, metadata, source);
        return new OnnxModel<T>(network, scaler, Labels(metadata, network.OutputSize, source), metadata, graph.Opset,
            proto.ProducerName, proto.ProducerVersion, graph.InputName, graph.OutputName, graph.ArgMaxName,
            graph.ElementType == TensorProto.Types.DataType.Double);
    }

    private static ModelProto Parse(byte[] model, string source)
    {
        try
        {
            using var stream = new MemoryStream(model, writable: false);
            using var input = CodedInputStream.CreateWithLimits(stream, model.Length, RecursionLimit);
            var proto = new ModelProto();
            proto.MergeFrom(input);
            return proto;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataFileException($"{source}: not a valid ONNX model (protobuf: {e.Message}).", e);
        }
    }

    private static (Network<T> Network, Scaler? Scaler) Build<T>(ImportedGraph graph, IReadOnlyDictionary<string, string> metadata, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = new List<Layer<T>>();
        Scaler? scaler = null;
        FeatureShape shape = graph.InputShape;
        Func<NeuralNet.Activations.IActivation?, Layer<T>>? pending = null;

        void Add(Layer<T> layer)
        {
            layers.Add(layer);
            shape = layer.OutputShape;
        }

        // A dense or convolution step waits for the next step: an activation right after it (a Flatten between them
        // changes nothing) becomes the layer's activation.
        void Flush(NeuralNet.Activations.IActivation? activation)
        {
            if (pending is not null)
            {
                Add(pending(activation));
                pending = null;
            }
        }

        foreach (ImportStep step in graph.Steps)
        {
            CheckFinite(step, source);
            switch (step)
            {
                case ScalerStep s:
                    string kind = metadata.GetValueOrDefault(OnnxMetadataKeys.Scaler) is "min_max" ? "min_max" : "standard";
                    try
                    {
                        scaler = Scaler.FromStatistics(kind, s.Shift, s.Divisor);
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidDataFileException($"{source}: the scaler in front ({s.NodeName}) is invalid: {e.Message}", e);
                    }

                    break;
                case DenseStep dense:
                    Flush(null);
                    if (!shape.IsFlat && layers.Any(l => l is Conv2DLayer<T> or MaxPool2DLayer<T> or AvgPool2DLayer<T> or GlobalAveragePoolLayer<T>))
                    {
                        // Dense layers after image layers: the explicit flatten the builder's AddFlatten puts there.
                        // Without image layers the rows never were images to the network, so none is added.
                        Add(new FlattenLayer<T>(shape));
                    }

                    pending = activation =>
                    {
                        var layer = new DenseLayer<T>(dense.Inputs, dense.Outputs, activation);
                        Copy(dense.Weights, layer.WeightParameter.Value);
                        Copy(dense.Bias, layer.BiasParameter.Value);
                        return layer;
                    };
                    break;
                case ConvStep conv:
                    Flush(null);
                    pending = activation =>
                    {
                        var layer = Checked(conv, source, () => new Conv2DLayer<T>(conv.Input, conv.Output.Channels, conv.Kernel, conv.Stride,
                            conv.Padding, conv.Dilation, activation, useBias: conv.Bias is not null));
                        Copy(conv.Weights, layer.WeightParameter.Value);
                        if (conv.Bias is not null)
                        {
                            Copy(conv.Bias, layer.BiasParameter!.Value);
                        }

                        return layer;
                    };
                    break;
                case PoolStep pool:
                    Flush(null);
                    Add(Checked<Layer<T>>(pool, source, () => pool.Max
                        ? new MaxPool2DLayer<T>(pool.Input, pool.Pool, pool.Stride, pool.Padding)
                        : new AvgPool2DLayer<T>(pool.Input, pool.Pool, pool.Stride, pool.Padding)));
                    break;
                case GlobalAveragePoolStep global:
                    Flush(null);
                    Add(new GlobalAveragePoolLayer<T>(global.Input));
                    break;
                case ActivationStep activation when pending is not null:
                    // The activation right after a dense or convolution layer becomes that layer's activation.
                    Flush(activation.Activation);
                    break;
                case ActivationStep activation:
                    Add(new ActivationLayer<T>(shape, activation.Activation));
                    break;
                case BatchNormStep bn:
                    if (!T.IsNormal(T.CreateTruncating(bn.Epsilon)))
                    {
                        throw new InvalidDataFileException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"{source}: node '{bn.NodeName}': epsilon {bn.Epsilon:R} is not a normal {typeof(T).Name}."));
                    }

                    Flush(null);
                    var layer = new BatchNormLayer<T>(shape.Size, bn.Momentum, bn.Epsilon);
                    Copy(bn.Gamma, layer.Parameters[0].Value);
                    Copy(bn.Beta, layer.Parameters[1].Value);
                    Copy(bn.Mean, layer.Buffers[0].Value);
                    Copy(bn.Variance, layer.Buffers[1].Value);
                    Add(layer);
                    break;
                case PassStep:
                    break;
            }
        }

        Flush(null);
        if (layers.Count == 0)
        {
            throw new InvalidDataFileException($"{source}: the graph computes nothing a network layer represents (no Gemm, MatMul, activation or normalisation).");
        }

        try
        {
            return (new Network<T>(graph.InputShape, layers), scaler);
        }
        catch (ArgumentException e)
        {
            // Shapes the graph chains but the core's layers do not, e.g. a convolution after global average pooling
            // (whose layer gives flat rows, not a 1x1 image).
            throw new InvalidDataFileException($"{source}: the layers do not chain: {e.Message}", e);
        }
    }

    /// <summary>Weights must be finite, as model files require: a NaN or infinity would silently poison every prediction.</summary>
    private static void CheckFinite(ImportStep step, string source)
    {
        IEnumerable<(string Name, double[] Values)> tensors = step switch
        {
            DenseStep d => [("weights", d.Weights), ("bias", d.Bias)],
            ConvStep c => [("weights", c.Weights), ("bias", c.Bias ?? [])],
            BatchNormStep b => [("scale", b.Gamma), ("bias", b.Beta), ("mean", b.Mean), ("variance", b.Variance)],
            ScalerStep s => [("shift", s.Shift), ("divisor", s.Divisor)],
            _ => [],
        };
        foreach (var (name, values) in tensors)
        {
            int bad = Array.FindIndex(values, v => !double.IsFinite(v));
            if (bad >= 0)
            {
                throw new InvalidDataFileException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{source}: node '{step.NodeName}': {name}[{bad}] is {values[bad]}; weights must be finite."));
            }
        }

        if (step is BatchNormStep bn && Array.FindIndex(bn.Variance, v => v < 0) is int negative and >= 0)
        {
            throw new InvalidDataFileException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{source}: node '{step.NodeName}': variance[{negative}] is {bn.Variance[negative]}; variances cannot be negative."));
        }
    }

    /// <summary>Builds a window layer, turning the core's argument checks (a padding that covers a whole pooling window)
    /// into the file error naming the node.</summary>
    private static TLayer Checked<TLayer>(ImportStep step, string source, Func<TLayer> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataFileException($"{source}: node '{step.NodeName}': {e.Message}", e);
        }
    }

    private static LabelMap? Labels(IReadOnlyDictionary<string, string> metadata, int outputs, string source)
    {
        if (!metadata.TryGetValue(OnnxMetadataKeys.ClassNames, out string? json))
        {
            return null;
        }

        try
        {
            string[] names = JsonSerializer.Deserialize<string[]>(json) ?? [];
            return names.Length == outputs
                ? new LabelMap(names)
                : throw new InvalidDataFileException($"{source}: {OnnxMetadataKeys.ClassNames} lists {names.Length} classes but the network has {outputs} outputs.");
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataFileException($"{source}: {OnnxMetadataKeys.ClassNames} is not a JSON array of distinct class names: {e.Message}", e);
        }
    }

    private static void Copy<T>(double[] source, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = T.CreateTruncating(source[i]);
        }
    }
}
