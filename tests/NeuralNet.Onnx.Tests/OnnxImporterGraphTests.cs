using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Onnx.Tests.TestSupport;
using static NeuralNet.Onnx.Tests.TestSupport.HandGraph;

namespace NeuralNet.Onnx.Tests;

/// <summary>
/// Graph shapes other writers produce (tf2onnx's MatMul + Add, Gemm with alpha, beta and transB=0, Reshape, Dropout
/// with a ratio, Constant nodes, float_data and double_data, pre-13 Softmax, image inputs with Flatten): ONNX Runtime
/// runs each hand-built model, and the imported network must give the same outputs.
/// </summary>
public sealed class OnnxImporterGraphTests
{
    [Fact]
    public void Load_Tf2OnnxStyleMatMulAdd_MatchesOnnxRuntime()
    {
        // tf2onnx writes Dense as MatMul(x, W[in, out]) then Add(bias first or second); Softmax at opset 11 (axis 1).
        var g = new HandGraph(11, false, 6);
        string h = g.Node("Add", [g.Init("b0", [7]), g.Node("MatMul", ["x", g.Init("W0", [6, 7])])]);
        h = g.Node("Relu", [h]);
        h = g.Node("Add", [g.Node("MatMul", [h, g.Init("W1", [7, 3], raw: true)]), g.Init("b1", [3], raw: true)]);
        h = g.Node("Softmax", [h]);
        Check<float>(g.Finish(h, 3), 6, "dense(relu) dense(softmax)");
    }

    [Fact]
    public void Load_GemmAlphaBetaTransBZero_MatchesOnnxRuntime()
    {
        var g = new HandGraph(13, false, 5);
        string h = g.Node("Gemm", ["x", g.Init("B0", [5, 4]), g.Init("C0", [4])], Float("alpha", 0.5f), Float("beta", 2f));
        h = g.Node("Identity", [h]);
        h = g.Node("Dropout", [h, g.ConstantScalar("ratio", 0.3)]);
        h = g.Node("LeakyRelu", [h]);
        h = g.Node("Gemm", [h, g.Init("B1", [2, 4]), g.Init("C1", [1, 2])], Int("transB", 1));
        h = g.Node("Sigmoid", [h]);
        h = g.Node("Gemm", [h, g.Init("B2", [2, 2]), ""]);
        Check<float>(g.Finish(h, 2), 5, "dense(leaky_relu(alpha=0.01)) dense(sigmoid) dense(identity)");
    }

    [Fact]
    public void Load_DoubleGraphWithDoubleData_MatchesOnnxRuntime()
    {
        var g = new HandGraph(17, true, 4);
        string h = g.Node("Gemm", ["x", g.Init("B0", [6, 4]), g.Init("C0", [6])], Int("transB", 1));
        h = g.Node("Tanh", [h]);
        h = g.Node("Reshape", [h, g.Int64s("shape", 0, -1)]);
        h = g.Node("Gemm", [h, g.Init("B1", [6, 3], raw: true), g.ConstantScalar("c1", 0.25)]);
        h = g.Node("Relu", [h]);
        Check<double>(g.Finish(h, 3), 4, "dense(tanh) dense(relu)");
    }

    [Fact]
    public void Load_ImageInputThroughFlatten_MatchesOnnxRuntime()
    {
        var g = new HandGraph(13, false, 2, 3, 3);
        string h = g.Node("Flatten", ["x"], Int("axis", 1));
        h = g.Node("Gemm", [h, g.Init("B0", [4, 18]), g.Init("C0", [4])], Int("transB", 1));
        h = g.Node("Elu", [h], Float("alpha", 0.5f));
        Check<float>(g.Finish(h, 4), 18, "dense(elu(alpha=0.5))", [2, 3, 3]);
    }

    /// <summary>A bias-free stride-2 Conv straight on the [N, C, H, W] input with auto_pad=SAME_UPPER and an odd total
    /// (7x6 to 4x3: the extra column goes after, as Padding2D.Same puts it), a VALID Conv, an AveragePool with
    /// SAME_LOWER and an even total (where it equals SAME_UPPER), a VALID MaxPool with ONNX's default stride 1, global
    /// average pooling, Flatten and Gemm: no pads attributes, as other writers spell them.</summary>
    private static HandGraph AutoPadGraph(int averagePoolWidth, out string output)
    {
        var g = new HandGraph(13, false, 2, 7, 6);
        string h = g.Node("Conv", ["x", g.Init("W0", [3, 2, 3, 3])], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Str("auto_pad", "SAME_UPPER"));
        h = g.Node("Relu", [h]);
        h = g.Node("Conv", [h, g.Init("W1", [4, 3, 2, 2]), g.Init("b1", [4])], Str("auto_pad", "VALID"));
        h = g.Node("AveragePool", [h], Ints("kernel_shape", 3, averagePoolWidth), Str("auto_pad", "SAME_LOWER"));
        h = g.Node("MaxPool", [h], Ints("kernel_shape", 2, 2), Str("auto_pad", "VALID"));
        h = g.Node("GlobalAveragePool", [h]);
        h = g.Node("Flatten", [h], Int("axis", 1));
        output = g.Node("Gemm", [h, g.Init("B", [2, 4]), g.Init("C", [2])], Int("transB", 1));
        return g;
    }

    [Fact]
    public void Load_ConvPoolWithAutoPad_MatchesOnnxRuntime()
    {
        HandGraph g = AutoPadGraph(3, out string output);
        Check<float>(g.Finish(output, 2), 84,
            "conv2d(3, 3x3, stride 2x2, same, relu) conv2d(4, 2x2, identity) avg_pool2d(3x3, stride 1x1, same) max_pool2d(2x2, stride 1x1, valid) global_average_pool dense(identity)",
            [2, 7, 6]);
    }

    [Fact]
    public void Load_SameLowerWithOddPadding_RejectedNamingNode()
    {
        // A 3x2 window at stride 1 pads one column in all: SAME_LOWER puts it before, where the layers cannot.
        HandGraph g = AutoPadGraph(2, out string output);
        Action load = () => OnnxImporter.Load<float>(g.Finish(output, 2));
        load.Should().Throw<InvalidDataFileException>().WithMessage("*averagepool_*(AveragePool)*auto_pad=SAME_LOWER with an odd total padding*");
    }

    [Fact]
    public void Load_ConvAfterGlobalAveragePool_RejectedAsNotChaining()
    {
        // ONNX keeps [N, C, 1, 1] after GlobalAveragePool, but the layer gives flat rows no convolution reads.
        var g = new HandGraph(13, false, 2, 4, 4);
        string h = g.Node("GlobalAveragePool", ["x"]);
        h = g.Node("Conv", [h, g.Init("W", [3, 2, 1, 1])]);
        h = g.Node("Flatten", [h], Int("axis", 1));
        Action load = () => OnnxImporter.Load<float>(g.Finish(h, 3));
        load.Should().Throw<InvalidDataFileException>().WithMessage("*the layers do not chain*");
    }

    [Fact]
    public void Load_ImageInputThroughReshape_MatchesOnnxRuntime()
    {
        var g = new HandGraph(13, false, 2, 3, 3);
        string h = g.Node("Reshape", ["x", g.Int64s("shape", -1, 18)]);
        h = g.Node("Relu", [h]);
        h = g.Node("MatMul", [h, g.Init("W0", [18, 5])]);
        h = g.Node("BatchNormalization", [h, g.Init("gamma", [5]), g.Init("beta", [5]), g.Init("mean", [5]), g.Init("var", [5], offset: 2)],
            Float("epsilon", 1e-4f));
        h = g.Node("LogSoftmax", [h], Int("axis", -1));
        Check<float>(g.Finish(h, 5), 18, "activation(relu) dense(identity) batchnorm(momentum=0.9, epsilon=9.999999747378752E-05) activation(log_softmax)", [2, 3, 3]);
    }

    [Fact]
    public void Load_DoubleBatchNormFormWithOperandsSwapped_MatchesOnnxRuntime()
    {
        // The exporter's double batch-norm form written with every commutative operand the other way round:
        // y = (β - μ a) + a x, a = γ / √(ε + σ²).
        var g = new HandGraph(17, true, 3);
        string gamma = g.Init("gamma", [3]), beta = g.Init("beta", [3]), mean = g.Init("mean", [3]), variance = g.Init("var", [3], offset: 2);
        string a = g.Node("Div", [gamma, g.Node("Sqrt", [g.Node("Add", [g.Init("eps", [], offset: 1.5), variance])])]);
        string h = g.Node("Add", [g.Node("Sub", [beta, g.Node("Mul", [mean, a])]), g.Node("Mul", [a, "x"])]);
        byte[] model = g.Finish(h, 3);
        Matrix<double> x = Networks.Inputs<double>(13, 3);
        var (expected, _) = OnnxRuntimeRunner.Run(model, x);

        Network<double> network = OnnxImporter.Load<double>(model).Network;

        network.Layers.Should().ContainSingle().Which.Should().BeOfType<NeuralNet.Layers.BatchNormLayer<double>>()
            .Which.Epsilon.Should().BeInRange(0.5, 2.5);
        Tolerance.AssertClose(network.Predict(x), expected, 1e-12);
    }

    private static void Check<T>(byte[] model, int features, string layers, int[]? sampleDims = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> x = Networks.Inputs<T>(13, features);
        var (expected, _) = OnnxRuntimeRunner.Run(model, x, sampleDims);

        OnnxModel<T> imported = OnnxImporter.Load<T>(model);

        string.Join(' ', imported.Network.Layers.Select(l => l.Describe())).Should().Be(layers);
        Tolerance.AssertClose(imported.Network.Predict(x), expected, Tolerance.For<T>());
    }
}
