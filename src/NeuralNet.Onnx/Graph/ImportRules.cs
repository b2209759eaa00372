using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Onnx.Activations;
using static NeuralNet.Onnx.Graph.Pattern;

namespace NeuralNet.Onnx.Graph;

/// <summary>A graph shape the importer understands and what it becomes.</summary>
internal sealed record ImportRule(string Name, OpPattern Pattern, Func<RuleContext, ImportStep> Build);

/// <summary>
/// The operators and decompositions the importer reads (docs/onnx.md has the table): the shapes
/// <c>torch.onnx.export</c> and tf2onnx write for feedforward networks, and everything the exporter writes.
/// </summary>
internal static class ImportRules
{
    /// <summary>Every rule; the matcher takes the largest match, and the first rule on ties.</summary>
    public static IReadOnlyList<ImportRule> All { get; } =
    [
        new("Gemm", Op("Gemm", X, P("B"), P("C")), Gemm),
        new("Gemm", Op("Gemm", X, P("B")), Gemm),
        new("MatMul+Add", Op("Add", Op("MatMul", X, P("B")), P("C")), MatMul),
        new("MatMul", Op("MatMul", X, P("B")), MatMul),
        new("BatchNormalization", Op("BatchNormalization", X, P("gamma"), P("beta"), P("running_mean"), P("running_variance")), BatchNormalization),
        new("batch norm (double form)", (OpPattern)Decompositions.BatchNorm, BatchNormDoubleForm),
        new("scaler", (OpPattern)Decompositions.Scaler, c => new ScalerStep(c.NodeName, c.Vector("shift", c.Width), c.Vector("divisor", c.Width))),
        new("Relu", Op("Relu", X), c => Act(c, Activation.ReLU)),
        new("Sigmoid", Op("Sigmoid", X), c => Act(c, Activation.Sigmoid)),
        new("Tanh", Op("Tanh", X), c => Act(c, Activation.Tanh)),
        new("Softplus", Op("Softplus", X), c => Act(c, Activation.Softplus)),
        new("LeakyRelu", Op("LeakyRelu", X), c => Act(c, Checked(c, () => Activation.LeakyReLU(c.Float("alpha", 0.01))))),
        new("Elu", Op("Elu", X), c => Act(c, Checked(c, () => Activation.Elu(c.Float("alpha", 1.0))))),
        new("Selu", Op("Selu", X), c => Act(c, SeluChecked(c, c.Float("gamma", 1.05070102214813232421875), c.Float("alpha", 1.67326319217681884765625)))),
        new("Softmax", Op("Softmax", X), c => Act(c, RowWise(c, Activation.Softmax))),
        new("LogSoftmax", Op("LogSoftmax", X), c => Act(c, RowWise(c, LogSoftmax.Instance))),
        new("Gelu", Op("Gelu", X), Gelu),
        new("GELU (tanh, decomposed)", (OpPattern)Decompositions.GeluTanh, c => Act(c, Activation.Gelu)),
        new("GELU (erf, decomposed)", (OpPattern)Decompositions.GeluErf, c => Act(c, NeuralNet.Activations.Activation.GeluExact)),
        new("SiLU (decomposed)", (OpPattern)Decompositions.Silu, c => Act(c, Activation.Silu)),
        new("step (decomposed)", (OpPattern)Decompositions.Step, c => Act(c, Activation.Step)),
        new("leaky ReLU (double form)", (OpPattern)Decompositions.LeakyReLU, c => Act(c, Checked(c, () => Activation.LeakyReLU(c.Scalar("alpha"))))),
        new("ELU (double form)", (OpPattern)Decompositions.Elu, c => Act(c, Checked(c, () => Activation.Elu(c.Scalar("alpha"))))),
        new("SELU (double form)", (OpPattern)Decompositions.Selu, c => Act(c, SeluChecked(c, c.Scalar("lambda"), c.Scalar("lambda_alpha") / c.Scalar("lambda")))),
        new("softplus (double form)", (OpPattern)Decompositions.Softplus, c => Act(c, Activation.Softplus)),
        new("Identity", Op("Identity", X), c => new PassStep(c.NodeName, c.Width)),
        new("Dropout", Op("Dropout", X), c => new PassStep(c.NodeName, c.Width)),
        new("Dropout", Op("Dropout", X, P("ratio")), c => new PassStep(c.NodeName, c.Width)),
        new("Dropout", Op("Dropout", X, P("ratio"), P("training_mode")), Dropout),
        new("Flatten", Op("Flatten", X), Flatten),
        new("Reshape", Op("Reshape", X, P("shape")), Reshape),
        new("Conv", Op("Conv", X, P("W"), P("B")), Conv),
        new("Conv", Op("Conv", X, P("W")), Conv),
        new("MaxPool", Op("MaxPool", X), c => Pool(c, max: true)),
        new("AveragePool", Op("AveragePool", X), c => Pool(c, max: false)),
        new("GlobalAveragePool", Op("GlobalAveragePool", X), GlobalAveragePool),
    ];

    /// <summary>The operator types the rules use, with <c>Constant</c> and the final <c>ArgMax</c>.</summary>
    public static IReadOnlySet<string> OperatorTypes { get; } =
        All.SelectMany(r => OpTypes(r.Pattern)).Append("Constant").Append("ArgMax").ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> OpTypes(Pattern pattern) =>
        pattern is OpPattern op ? op.Inputs.SelectMany(OpTypes).Append(op.OpType) : [];

    private static ImportStep Act(RuleContext c, IActivation activation) => new ActivationStep(c.NodeName, activation);

    private static ImportStep Gemm(RuleContext c)
    {
        // Y = alpha op(A) op(B) + beta C with A the [N, in] activations.
        if (c.Int("transA", 0) != 0)
        {
            throw c.Fail("transA=1 would transpose the batch; feedforward graphs have transA=0");
        }

        return Dense(c, transposed: c.Int("transB", 0) != 0, alpha: c.Float("alpha", 1), beta: c.Float("beta", 1));
    }

    private static ImportStep MatMul(RuleContext c) => Dense(c, transposed: false, alpha: 1, beta: 1);

    private static ImportStep Dense(RuleContext c, bool transposed, double alpha, double beta)
    {
        RequireMatrixInput(c);
        var (dims, b) = c.Tensor("B");
        if (dims.Length != 2)
        {
            throw c.Fail($"the weight matrix has shape [{string.Join(", ", dims)}]; expected two dimensions");
        }

        int inputs = (int)(transposed ? dims[1] : dims[0]), outputs = (int)(transposed ? dims[0] : dims[1]);
        if (inputs != c.Width || outputs == 0)
        {
            throw c.Fail($"the graph does not chain: the weights [{string.Join(", ", dims)}]{(transposed ? " (transB=1)" : "")} take {inputs} features but the tensor before holds {c.Width}");
        }

        // DenseLayer stores W [in x out] column-major, element (i, j) at j*in + i. B with transB=1 is row-major
        // [out, in], element (j, i) at j*in + i: the same array. Without transB, B is row-major [in, out].
        var w = new double[b.Length];
        for (int j = 0; j < outputs; j++)
        {
            for (int i = 0; i < inputs; i++)
            {
                double value = transposed ? b[j * inputs + i] : b[i * outputs + j];
                w[j * inputs + i] = alpha == 1 ? value : alpha * value;
            }
        }

        double[] bias = c.Has("C") ? c.Vector("C", outputs) : new double[outputs];
        if (beta != 1)
        {
            bias = bias.Select(v => beta * v).ToArray();
        }

        return new DenseStep(c.NodeName, inputs, outputs, w, bias);
    }

    private static ImportStep BatchNormalization(RuleContext c)
    {
        RequireMatrixInput(c);
        if (c.Int("training_mode", 0) != 0)
        {
            throw c.Fail("training_mode=1; export the model in evaluation mode");
        }

        return BatchNorm(c, c.Float("epsilon", 1e-5), c.Float("momentum", 0.9));
    }

    private static ImportStep BatchNormDoubleForm(RuleContext c)
    {
        // The exporter notes the momentum (training only) in the doc_string; other writers get the layer's default.
        string doc = c.Match.Root.DocString;
        double momentum = doc.StartsWith(Decompositions.BatchNormDocPrefix, StringComparison.Ordinal)
            && double.TryParse(doc.AsSpan(Decompositions.BatchNormDocPrefix.Length), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double m)
                ? m
                : 0.99;
        return BatchNorm(c, c.Scalar("epsilon"), momentum);
    }

    private static ImportStep BatchNorm(RuleContext c, double epsilon, double momentum)
    {
        // The layer divides by √(σ² + ε): ε must be a positive normal number (in float too, checked when the layer is
        // built), as model files require.
        if (!(epsilon > 0 && double.IsNormal(epsilon)) || !(momentum >= 0 && momentum < 1))
        {
            throw c.Fail($"epsilon must be a positive normal number and momentum in [0, 1). Received: epsilon={epsilon}, momentum={momentum}");
        }

        return new BatchNormStep(c.NodeName, c.Vector("gamma", c.Width), c.Vector("beta", c.Width), c.Vector("running_mean", c.Width),
            c.Vector("running_variance", c.Width), epsilon, momentum);
    }

    private static ImportStep Gelu(RuleContext c) => c.String("approximate", "none") switch
    {
        "none" => Act(c, NeuralNet.Activations.Activation.GeluExact),
        "tanh" => Act(c, Activation.Gelu),
        string other => throw c.Fail($"approximate='{other}' is not an ONNX GELU variant"),
    };

    private static IActivation RowWise(RuleContext c, IActivation activation)
    {
        RequireMatrixInput(c);
        long axis = c.Int("axis", c.Opset >= 13 ? -1 : 1);
        return axis is 1 or -1 ? activation : throw c.Fail($"axis={axis}; only the feature axis (1 or -1) of a [N, features] tensor is supported");
    }

    private static IActivation SeluChecked(RuleContext c, double lambda, double alpha) =>
        Close(lambda, Selu.Lambda) && Close(alpha, Selu.Alpha)
            ? Activation.Selu
            : throw c.Fail($"SELU with gamma={lambda}, alpha={alpha}; only the standard constants (1.0507..., 1.6733...) are supported");

    private static IActivation Checked(RuleContext c, Func<IActivation> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw c.Fail(e.Message);
        }
    }

    private static ImportStep Dropout(RuleContext c)
    {
        long[] training = c.Integers("training_mode");
        return training.All(t => t == 0) ? new PassStep(c.NodeName, c.Width) : throw c.Fail("training_mode is true; export the model in evaluation mode");
    }

    private static ImportStep Flatten(RuleContext c)
    {
        long axis = c.Int("axis", 1);
        return axis == 1 || (axis == -1 && c.Rank == 2)
            ? new PassStep(c.NodeName, c.Width)
            : throw c.Fail($"axis={axis}; only Flatten(axis=1), which keeps the batch dimension, is supported");
    }

    private static ImportStep Reshape(RuleContext c)
    {
        // [N, -1] in its spellings: [0, -1] (0 copies the batch dimension), [-1, features], [0, features].
        long[] shape = c.Integers("shape");
        if (shape.Length == 4 && c.Int("allowzero", 0) == 0)
        {
            // [N, C, H, W] from rows, as the exporter writes before each image layer: -1 or 0 for the batch, and
            // positive image dimensions (a 0 there would copy an input dimension, which rows do not have).
            bool image = shape[0] is -1 or 0 && shape.Skip(1).All(d => d is > 0 and <= int.MaxValue)
                && shape[1] * shape[2] * shape[3] == c.Width;
            return image
                ? new PassStep(c.NodeName, c.Width, new FeatureShape((int)shape[1], (int)shape[2], (int)shape[3]))
                : throw c.Fail($"shape [{string.Join(", ", shape)}]; only a reshape to [N, -1] or to an image [N, C, H, W] of {c.Width} values is supported");
        }

        bool ok = shape.Length == 2 && ((shape[0] >= 0 && (shape[1] == -1 || shape[1] == c.Width)) || (shape[0] == -1 && shape[1] == c.Width));
        return ok && c.Int("allowzero", 0) == 0
            ? new PassStep(c.NodeName, c.Width)
            : throw c.Fail($"shape [{string.Join(", ", shape)}]; only a reshape to [N, -1] ({c.Width} features) is supported");
    }

    private static ImportStep Conv(RuleContext c)
    {
        RequireImageInput(c);
        long group = c.Int("group", 1);
        if (group != 1)
        {
            throw c.Fail($"group={group}; only group=1 (every filter reads every channel) is supported");
        }

        var (dims, weights) = c.Tensor("W");
        if (dims.Length != 4 || dims[1] != c.Shape.Channels || dims.Any(d => d is <= 0 or > int.MaxValue))
        {
            throw c.Fail($"the weights have shape [{string.Join(", ", dims)}]; expected [filters, {c.Shape.Channels}, kernel height, kernel width]");
        }

        var kernel = new Size2D((int)dims[2], (int)dims[3]);
        if (c.Ints("kernel_shape") is { } declared && !declared.SequenceEqual([dims[2], dims[3]]))
        {
            throw c.Fail($"kernel_shape [{string.Join(", ", declared)}] disagrees with the weights [{string.Join(", ", dims)}]");
        }

        int filters = (int)dims[0];
        Size2D stride = Pair(c, "strides"), dilation = Pair(c, "dilations");
        Padding2D padding = Padding(c, kernel, stride, dilation);
        double[]? bias = c.Has("B") ? c.Vector("B", filters) : null;
        FeatureShape output = Window(c, filters, kernel, stride, dilation, padding);
        return new ConvStep(c.NodeName, c.Shape, output, kernel, stride, dilation, padding, weights, bias);
    }

    private static ImportStep Pool(RuleContext c, bool max)
    {
        RequireImageInput(c);
        if (c.Int("ceil_mode", 0) != 0)
        {
            throw c.Fail("ceil_mode=1; the pooling layers round the output size down (ceil_mode=0)");
        }

        long[] kernelShape = c.Ints("kernel_shape") ?? throw c.Fail("it has no kernel_shape");
        if (kernelShape.Length != 2 || kernelShape.Any(d => d is <= 0 or > int.MaxValue))
        {
            throw c.Fail($"kernel_shape [{string.Join(", ", kernelShape)}]; a 2-D window of positive sides is supported");
        }

        if (Pair(c, "dilations") != new Size2D(1, 1))
        {
            throw c.Fail("dilations other than 1; the pooling layers read adjacent taps");
        }

        var kernel = new Size2D((int)kernelShape[0], (int)kernelShape[1]);
        Size2D stride = Pair(c, "strides");
        Padding2D padding = Padding(c, kernel, stride, 1);
        var (top, bottom, left, right) = padding.Resolve(new Size2D(c.Shape.Height, c.Shape.Width), kernel, stride, 1);
        if (!max && c.Int("count_include_pad", 0) != 0 && (top | bottom | left | right) != 0)
        {
            // The layer divides by the taps inside the image; counting the padding would divide by the whole window.
            throw c.Fail("count_include_pad=1 with padding; the average pooling layer divides by the taps inside the image (count_include_pad=0)");
        }

        FeatureShape output = Window(c, c.Shape.Channels, kernel, stride, 1, padding);
        return new PoolStep(c.NodeName, max, c.Shape, output, kernel, stride, padding);
    }

    private static ImportStep GlobalAveragePool(RuleContext c)
    {
        RequireImageInput(c);
        return new GlobalAveragePoolStep(c.NodeName, c.Shape, new FeatureShape(c.Shape.Channels, 1, 1));
    }

    /// <summary>A two-element attribute (strides, dilations) of positive values; 1 x 1 when absent, ONNX's default.</summary>
    private static Size2D Pair(RuleContext c, string name)
    {
        long[]? values = c.Ints(name);
        if (values is null)
        {
            return 1;
        }

        return values.Length == 2 && values.All(v => v is > 0 and <= int.MaxValue)
            ? new Size2D((int)values[0], (int)values[1])
            : throw c.Fail($"{name} [{string.Join(", ", values)}]; two positive values (height, width) are supported");
    }

    /// <summary>The padding from auto_pad and pads ([top, left, bottom, right]).</summary>
    private static Padding2D Padding(RuleContext c, Size2D kernel, Size2D stride, Size2D dilation)
    {
        string autoPad = c.String("auto_pad", "NOTSET");
        long[]? pads = c.Ints("pads");
        if (autoPad != "NOTSET" && pads is not null && pads.Any(p => p != 0))
        {
            throw c.Fail($"auto_pad={autoPad} together with pads; ONNX allows only one of them");
        }

        switch (autoPad)
        {
            case "NOTSET":
                if (pads is null)
                {
                    return Padding2D.Valid;
                }

                return pads.Length == 4 && pads.All(p => p is >= 0 and <= int.MaxValue / 4)
                    ? Padding2D.Explicit((int)pads[0], (int)pads[2], (int)pads[1], (int)pads[3])
                    : throw c.Fail($"pads [{string.Join(", ", pads)}]; four non-negative values (top, left, bottom, right) are supported");
            case "VALID":
                return Padding2D.Valid;
            case "SAME_UPPER":
                // Padding2D.Same puts the odd row or column after the image, as SAME_UPPER does.
                return Padding2D.Same;
            case "SAME_LOWER":
                // SAME_LOWER puts the odd row or column before the image; only an even total, where both agree, is supported.
                var (top, bottom, left, right) = Padding2D.Same.Resolve(new Size2D(c.Shape.Height, c.Shape.Width), kernel, stride, dilation);
                return top == bottom && left == right
                    ? Padding2D.Same
                    : throw c.Fail("auto_pad=SAME_LOWER with an odd total padding; only SAME_UPPER puts the extra row or column where the layers do");
            default:
                throw c.Fail($"auto_pad={autoPad}; NOTSET, VALID, SAME_UPPER and SAME_LOWER are the ONNX values");
        }
    }

    /// <summary>The output image of a window operator, or the failure when the window does not fit the padded input.</summary>
    private static FeatureShape Window(RuleContext c, int channels, Size2D kernel, Size2D stride, Size2D dilation, Padding2D padding)
    {
        var (top, bottom, left, right) = padding.Resolve(new Size2D(c.Shape.Height, c.Shape.Width), kernel, stride, dilation);
        long spanH = (kernel.Height - 1L) * dilation.Height + 1, spanW = (kernel.Width - 1L) * dilation.Width + 1;
        long paddedH = (long)c.Shape.Height + top + bottom, paddedW = (long)c.Shape.Width + left + right;
        if (paddedH < spanH || paddedW < spanW)
        {
            throw c.Fail($"its {spanH}x{spanW} window does not fit the padded {paddedH}x{paddedW} input");
        }

        long height = (paddedH - spanH) / stride.Height + 1, width = (paddedW - spanW) / stride.Width + 1;
        if ((double)channels * height * width > ChainReader.MaxWidth)
        {
            // Padding is only an attribute: a hostile file could ask for an output far larger than itself.
            throw c.Fail(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"its output {channels}x{height}x{width} has more than {ChainReader.MaxWidth:N0} features per sample"));
        }

        return new FeatureShape(channels, (int)height, (int)width);
    }

    private static void RequireImageInput(RuleContext c)
    {
        if (c.Rank != 4 || c.Shape.IsFlat)
        {
            throw c.Fail($"its input has rank {c.Rank}; a 2-D image [N, C, H, W] of known size is supported");
        }
    }

    private static void RequireMatrixInput(RuleContext c)
    {
        if (c.Rank != 2)
        {
            throw c.Fail($"its input has rank {c.Rank}; flatten it to [N, features] first");
        }
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Abs(b);
}
