using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Activations;
using NeuralNet.Onnx.Graph;
using NeuralNet.Onnx.Layers;
using NeuralNet.Onnx.Protobuf;
using NeuralNet.Serialization;

namespace NeuralNet.Onnx;

/// <summary>
/// Writes a <see cref="Network{T}"/> as an ONNX model that ONNX Runtime, ML.NET and PyTorch tooling run: one input
/// <c>[batch, InputSize]</c> with a dynamic batch dimension, one output <c>[batch, OutputSize]</c>, optionally a second
/// <c>ArgMax</c> output, in the network's element type (float or double).
/// </summary>
/// <remarks>
/// <para>Dense layers become <c>Gemm(x, W, b, transB=1)</c>: the library stores <c>W</c> (<c>[in x out]</c>) column-major,
/// which is row-major <c>[out, in]</c>, so the weights are written as they are. Batch normalisation is written in
/// inference form (running statistics): the <c>BatchNormalization</c> operator in float graphs, the exact arithmetic of
/// <c>BatchNormLayer.Infer</c> in double graphs. Dropout is the identity at inference and is left out. Softmax is taken
/// over axis 1. Activations ONNX lacks (GELU before opset 20, SiLU, step), and in double graphs those whose ONNX Runtime
/// kernels are float-only or whose attributes are floats (leaky ReLU, ELU, SELU, softplus), are written as the
/// elementary operators of the same formula. A fitted scaler goes in front as <c>Sub</c> and <c>Div</c>. Convolution and
/// pooling layers reshape the rows to <c>[N, C, H, W]</c>, apply <c>Conv</c> (the column-major <c>[C·KH·KW x F]</c>
/// weights are ONNX's row-major <c>[F, C, KH, KW]</c>), <c>MaxPool</c>, <c>AveragePool</c> or <c>GlobalAveragePool</c>,
/// and flatten back; a flatten layer writes nothing.</para>
/// <para>Files are written atomically: to a temporary file beside the target, then moved over it.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The operator set written by default.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The oldest operator set the exporter writes (Softmax over one axis and the current Gemm need 13).</summary>
    public const int MinOpset = 13;

    /// <summary>The newest operator set the exporter writes.</summary>
    public const int MaxOpset = 21;

    /// <summary>The producer name written to every model.</summary>
    public const string ProducerName = "NeuralNet";

    /// <summary>Saves <paramref name="network"/> as an ONNX model at <paramref name="path"/>, atomically.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="network">The network.</param>
    /// <param name="options">Opset, names, scaler, labels and metadata; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A layer or activation without an ONNX form, invalid options, or a scaler or
    /// label count that does not fit the network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The opset is outside <see cref="MinOpset"/>..<see cref="MaxOpset"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save<T>(string path, Network<T> network, OnnxExportOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = ToBytes(network, options);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Saves a model read by <c>ModelFile.Load</c>: its scaler, class names and metadata go with it unless
    /// <paramref name="options"/> sets them.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="model">The saved model.</param>
    /// <param name="options">Overrides; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Save{T}(string, Network{T}, OnnxExportOptions?)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The opset is out of range.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save<T>(string path, SavedModel<T> model, OnnxExportOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        options = options with
        {
            Scaler = options.Scaler ?? model.Scaler,
            Labels = options.Labels ?? model.Labels,
            Metadata = options.Metadata ?? model.Metadata,
        };
        Save(path, model.Network, options);
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes (the protobuf encoding of <c>ModelProto</c>).</summary>
    /// <param name="network">The network.</param>
    /// <param name="options">Opset, names, scaler, labels and metadata; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Save{T}(string, Network{T}, OnnxExportOptions?)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The opset is out of range.</exception>
    public static byte[] ToBytes<T>(Network<T> network, OnnxExportOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        BuildModel(network, options ?? new OnnxExportOptions()).ToByteArray();

    internal static ModelProto BuildModel<T>(Network<T> network, OnnxExportOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        Validate(network, options);
        LogSoftmax.Register();
        bool isDouble = typeof(T) == typeof(double);
        var elementType = isDouble ? TensorProto.Types.DataType.Double : TensorProto.Types.DataType.Float;
        var writer = new GraphWriter(elementType, options.GraphName);
        writer.Reserve(options.InputName);
        writer.Reserve(options.OutputName);
        if (options.IncludeArgMax)
        {
            writer.Reserve(options.ArgMaxName);
        }

        FeatureShape shape = network.InputShape;
        writer.Graph.Input.Add(shape.IsFlat
            ? TensorInfo(options.InputName, (int)elementType, network.InputSize)
            : TensorInfo(options.InputName, (int)elementType, shape.Channels, shape.Height, shape.Width));
        string current = options.InputName;
        if (!shape.IsFlat)
        {
            // Images come in as [N, C, H, W]; the layers read each sample as its C*H*W values in NCHW order.
            writer.Scope = "input";
            current = writer.Node("Flatten", [current], GraphWriter.IntAttribute("axis", 1));
        }

        if (options.Scaler is { } scaler)
        {
            writer.Scope = "scaler";
            current = Decompositions.Scaler.Emit(writer, current, new Dictionary<string, double[]>
            {
                ["shift"] = [.. scaler.Shift],
                ["divisor"] = [.. scaler.Divisor],
            });
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            writer.Scope = string.Create(CultureInfo.InvariantCulture, $"layer{i}");
            current = EmitLayer(writer, current, network.Layers[i], isDouble, options.Opset);
        }

        NameOutput(writer, current, options.OutputName);
        writer.Graph.Output.Add(TensorInfo(options.OutputName, (int)elementType, network.OutputSize));
        if (options.IncludeArgMax)
        {
            writer.Scope = "argmax";
            writer.NodeWithOutput("ArgMax", [options.OutputName], options.ArgMaxName,
                GraphWriter.IntAttribute("axis", 1), GraphWriter.IntAttribute("keepdims", 0));
            writer.Graph.Output.Add(TensorInfo(options.ArgMaxName, (int)TensorProto.Types.DataType.Int64));
        }

        var model = new ModelProto
        {
            IrVersion = OnnxVersions.IrVersionFor(options.Opset),
            ProducerName = ProducerName,
            ProducerVersion = LibraryVersion(),
            Graph = writer.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        if (options.Description is not null)
        {
            model.DocString = options.Description;
        }

        foreach (var (key, value) in Metadata(options))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static string EmitLayer<T>(GraphWriter writer, string x, Layer<T> layer, bool isDouble, int opset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer)
        {
            case DenseLayer<T> dense:
            {
                // Column-major W [in x out] is row-major [out, in]: Gemm with transB=1 computes x · W.
                string w = writer.Initializer("W", ToDouble(dense.WeightParameter.Value), [dense.OutputSize, dense.InputSize]);
                string b = writer.Initializer("b", ToDouble(dense.BiasParameter.Value), [dense.OutputSize]);
                string z = writer.Node("Gemm", [x, w, b], GraphWriter.IntAttribute("transB", 1));
                return EmitActivation(writer, z, dense.Activation, isDouble, opset);
            }

            case BatchNormLayer<T> batchNorm:
            {
                double[] gamma = ToDouble(batchNorm.Parameters[0].Value), beta = ToDouble(batchNorm.Parameters[1].Value);
                double[] mean = ToDouble(batchNorm.Buffers[0].Value), variance = ToDouble(batchNorm.Buffers[1].Value);
                if (isDouble)
                {
                    string y = Decompositions.BatchNorm.Emit(writer, x, new Dictionary<string, double[]>
                    {
                        ["gamma"] = gamma, ["beta"] = beta, ["running_mean"] = mean, ["running_variance"] = variance,
                        ["epsilon"] = [batchNorm.Epsilon],
                    });

                    // The momentum only matters for further training; the importer reads it back from here.
                    writer.Graph.Node[^1].DocString = string.Create(CultureInfo.InvariantCulture, $"{Decompositions.BatchNormDocPrefix}{batchNorm.Momentum:R}");
                    return y;
                }

                long[] dims = [batchNorm.OutputSize];
                return writer.Node("BatchNormalization",
                    [x, writer.Initializer("gamma", gamma, dims), writer.Initializer("beta", beta, dims),
                        writer.Initializer("running_mean", mean, dims), writer.Initializer("running_variance", variance, dims)],
                    GraphWriter.FloatAttribute("epsilon", batchNorm.Epsilon), GraphWriter.FloatAttribute("momentum", batchNorm.Momentum));
            }

            case Conv2DLayer<T> conv:
            {
                // Rows are NCHW flattened: back to [N, C, H, W], convolve, flatten again. W's column-major
                // [C·KH·KW x F] memory is ONNX's row-major [F, C, KH, KW]; pads are [top, left, bottom, right].
                FeatureShape input = conv.InputShape;
                (int top, int bottom, int left, int right) = conv.Padding.Resolve(new Size2D(input.Height, input.Width), conv.Kernel, conv.Stride, conv.Dilation);
                string w = writer.Initializer("W", ToDouble(conv.WeightParameter.Value), [conv.Filters, input.Channels, conv.Kernel.Height, conv.Kernel.Width]);
                string[] inputs = conv.BiasParameter is { } bias
                    ? [ToImage(writer, x, input), w, writer.Initializer("b", ToDouble(bias.Value), [conv.Filters])]
                    : [ToImage(writer, x, input), w];
                string z = writer.Node("Conv", inputs,
                    GraphWriter.IntsAttribute("kernel_shape", conv.Kernel.Height, conv.Kernel.Width),
                    GraphWriter.IntsAttribute("strides", conv.Stride.Height, conv.Stride.Width),
                    GraphWriter.IntsAttribute("dilations", conv.Dilation.Height, conv.Dilation.Width),
                    GraphWriter.IntsAttribute("pads", top, left, bottom, right));
                return EmitActivation(writer, writer.Node("Flatten", [z], GraphWriter.IntAttribute("axis", 1)), conv.Activation, isDouble, opset);
            }

            case MaxPool2DLayer<T> pool:
                return EmitPool(writer, "MaxPool", x, pool.InputShape, pool.Pool, pool.Stride, pool.Padding);

            case AvgPool2DLayer<T> pool:
                // ONNX's default count_include_pad=0 divides by the taps inside the image, as the layer does.
                return EmitPool(writer, "AveragePool", x, pool.InputShape, pool.Pool, pool.Stride, pool.Padding);

            case GlobalAveragePoolLayer<T> global:
                return writer.Node("Flatten", [writer.Node("GlobalAveragePool", [ToImage(writer, x, global.InputShape)])], GraphWriter.IntAttribute("axis", 1));

            case FlattenLayer<T>:
                // The rows already are the flattened images.
                return x;

            case DropoutLayer<T>:
                return x;

            case ActivationLayer<T> activation:
                return EmitActivation(writer, x, activation.Activation, isDouble, opset);

            default:
                throw new ArgumentException($"Layer kind '{layer.Kind}' ({layer.GetType().Name}) has no ONNX form.", "network");
        }
    }

    /// <summary>Reshapes rows of <c>C·H·W</c> features (NCHW flattened) to <c>[N, C, H, W]</c>.</summary>
    private static string ToImage(GraphWriter writer, string x, FeatureShape shape) =>
        writer.Node("Reshape", [x, writer.Int64Constant("shape", -1, shape.Channels, shape.Height, shape.Width)]);

    /// <summary>Emits a 2-D pooling node between a reshape to <c>[N, C, H, W]</c> and a flatten back to rows.</summary>
    private static string EmitPool(GraphWriter writer, string op, string x, FeatureShape input, Size2D pool, Size2D stride, Padding2D padding)
    {
        (int top, int bottom, int left, int right) = padding.Resolve(new Size2D(input.Height, input.Width), pool, stride, 1);
        string y = writer.Node(op, [ToImage(writer, x, input)],
            GraphWriter.IntsAttribute("kernel_shape", pool.Height, pool.Width),
            GraphWriter.IntsAttribute("strides", stride.Height, stride.Width),
            GraphWriter.IntsAttribute("pads", top, left, bottom, right));
        return writer.Node("Flatten", [y], GraphWriter.IntAttribute("axis", 1));
    }

    /// <summary>Emits <c>f(x)</c>; float graphs use the ONNX operator where one exists, double graphs the elementary
    /// form where ONNX Runtime's kernel is float-only or the operator's attribute is a float.</summary>
    private static string EmitActivation(GraphWriter writer, string x, IActivation activation, bool isDouble, int opset)
    {
        Dictionary<string, double[]> none = [];
        switch (activation)
        {
            case Identity:
                return x;
            case ReLU:
                return writer.Node("Relu", [x]);
            case Sigmoid:
                return writer.Node("Sigmoid", [x]);
            case Tanh:
                return writer.Node("Tanh", [x]);
            case Softmax:
                return writer.Node("Softmax", [x], GraphWriter.IntAttribute("axis", 1));
            case LogSoftmax:
                return writer.Node("LogSoftmax", [x], GraphWriter.IntAttribute("axis", 1));
            case Silu:
                return Decompositions.Silu.Emit(writer, x, none);
            case Step:
                return Decompositions.Step.Emit(writer, x, none);
            case Gelu:
                return opset >= 20 && !isDouble
                    ? writer.Node("Gelu", [x], GraphWriter.StringAttribute("approximate", "tanh"))
                    : Decompositions.GeluTanh.Emit(writer, x, none);
            case GeluExact:
                return opset >= 20 && !isDouble
                    ? writer.Node("Gelu", [x])
                    : Decompositions.GeluErf.Emit(writer, x, none);
            case LeakyReLU leaky:
                return isDouble
                    ? Decompositions.LeakyReLU.Emit(writer, x, new Dictionary<string, double[]> { ["alpha"] = [leaky.Alpha] })
                    : writer.Node("LeakyRelu", [x], GraphWriter.FloatAttribute("alpha", leaky.Alpha));
            case Elu elu:
                return isDouble
                    ? Decompositions.Elu.Emit(writer, x, new Dictionary<string, double[]> { ["alpha"] = [elu.Alpha] })
                    : writer.Node("Elu", [x], GraphWriter.FloatAttribute("alpha", elu.Alpha));
            case Selu:
                return isDouble
                    ? Decompositions.Selu.Emit(writer, x, new Dictionary<string, double[]>
                    {
                        ["lambda"] = [Selu.Lambda],
                        ["lambda_alpha"] = [Selu.Lambda * Selu.Alpha],
                    })
                    : writer.Node("Selu", [x], GraphWriter.FloatAttribute("alpha", Selu.Alpha), GraphWriter.FloatAttribute("gamma", Selu.Lambda));
            case Softplus:
                return isDouble ? Decompositions.Softplus.Emit(writer, x, none) : writer.Node("Softplus", [x]);
            default:
                throw new ArgumentException($"Activation '{activation.Name}' has no ONNX form.", "network");
        }
    }

    /// <summary>Gives the last tensor the output's name (an <c>Identity</c> node when the network computes nothing).</summary>
    private static void NameOutput(GraphWriter writer, string last, string outputName)
    {
        NodeProto? producer = writer.Graph.Node.LastOrDefault(n => n.Output.Contains(last));
        if (producer is null)
        {
            writer.NodeWithOutput("Identity", [last], outputName);
            return;
        }

        producer.Output[producer.Output.IndexOf(last)] = outputName;
    }

    private static void Validate<T>(Network<T> network, OnnxExportOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.Opset is < MinOpset or > MaxOpset)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset, $"Opset must be between {MinOpset} and {MaxOpset}. Received: Opset={options.Opset}");
        }

        string?[] names = [options.InputName, options.OutputName, options.IncludeArgMax ? options.ArgMaxName : null, options.GraphName];
        if (names.Any(n => n is not null && string.IsNullOrWhiteSpace(n)) || options.InputName == options.OutputName
            || (options.IncludeArgMax && (options.ArgMaxName == options.InputName || options.ArgMaxName == options.OutputName)))
        {
            throw new ArgumentException($"Input, output and ArgMax names must be non-empty and distinct. Received: InputName='{options.InputName}', OutputName='{options.OutputName}', ArgMaxName='{options.ArgMaxName}', GraphName='{options.GraphName}'.", nameof(options));
        }

        if (options.Scaler is { } scaler && (!scaler.IsFitted || scaler.FeatureCount != network.InputSize))
        {
            throw new ArgumentException($"The scaler must be fitted on the network's {network.InputSize} inputs. Received: a {scaler.Kind} scaler with {scaler.FeatureCount} features.", nameof(options));
        }

        if (options.Labels is { } labels && labels.Count != network.OutputSize)
        {
            throw new ArgumentException($"The network has {network.OutputSize} outputs but {labels.Count} class names were given.", nameof(options));
        }

        if (options.Metadata?.Keys.FirstOrDefault(k => k.StartsWith("neuralnet.", StringComparison.Ordinal)) is { } reserved)
        {
            throw new ArgumentException($"Metadata keys starting with 'neuralnet.' are reserved. Received: '{reserved}'.", nameof(options));
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Metadata(OnnxExportOptions options)
    {
        foreach (var entry in options.Metadata?.OrderBy(e => e.Key, StringComparer.Ordinal) ?? Enumerable.Empty<KeyValuePair<string, string>>())
        {
            yield return entry;
        }

        if (options.Scaler is { } scaler)
        {
            yield return new(OnnxMetadataKeys.Scaler, scaler.Kind);
        }

        if (options.Labels is { } labels)
        {
            yield return new(OnnxMetadataKeys.ClassNames, JsonSerializer.Serialize(labels.ClassNames));
        }
    }

    /// <summary>A tensor of shape <c>[batch, dims...]</c> with a symbolic batch dimension.</summary>
    private static ValueInfoProto TensorInfo(string name, int elementType, params int[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int n in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = n });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    private static double[] ToDouble<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }

        return result;
    }

    private static string LibraryVersion() =>
        typeof(Network<>).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Network<>).Assembly.GetName().Version?.ToString() ?? "0";
}
