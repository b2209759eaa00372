using static NeuralNet.Onnx.Graph.Pattern;

namespace NeuralNet.Onnx.Graph;

/// <summary>
/// Expressions the exporter writes where ONNX has no operator (or ONNX Runtime has no double kernel, or a float
/// attribute would round a double constant), and the importer recognises: GELU as PyTorch 1.13 decomposes it
/// (<c>symbolic_opset9.gelu</c>, same operand order), SiLU as PyTorch writes it, and the double forms.
/// </summary>
internal static class Decompositions
{
    private const double Sqrt2 = 1.4142135623730951;
    private const double Sqrt2OverPi = 0.79788456080286535587989211986876;
    private const double Cubic = 0.044715;

    /// <summary>GELU, tanh form: <c>0.5 (x (1 + tanh(√(2/π) (x + 0.044715 x (x x)))))</c>.</summary>
    public static Pattern GeluTanh { get; } =
        Op("Mul", C(0.5), Op("Mul", X, Op("Add", C(1), Op("Tanh",
            Op("Mul", C(Sqrt2OverPi), Op("Add", X, Op("Mul", C(Cubic), Op("Mul", X, Op("Mul", X, X)))))))));

    /// <summary>Exact GELU: <c>(x (erf(x / √2) + 1)) 0.5</c>.</summary>
    public static Pattern GeluErf { get; } =
        Op("Mul", Op("Mul", X, Op("Add", Op("Erf", Op("Div", X, C(Sqrt2))), C(1))), C(0.5));

    /// <summary>SiLU: <c>x σ(x)</c>.</summary>
    public static Pattern Silu { get; } = Op("Mul", X, Op("Sigmoid", X));

    /// <summary>Heaviside step: <c>Cast(x ≥ 0)</c> to the graph's element type (NaN gives 0, as <c>Step</c> does).</summary>
    public static Pattern Step { get; } = Op("Cast", Op("GreaterOrEqual", X, C(0))).With("to", OpPattern.ElementTypeAttribute);

    /// <summary>Leaky ReLU, double form: <c>x &gt; 0 ? x : x alpha</c>.</summary>
    public static Pattern LeakyReLU { get; } = Op("Where", Op("Greater", X, C(0)), X, Op("Mul", X, PScalar("alpha")));

    /// <summary>ELU, double form: <c>x &gt; 0 ? x : alpha (e^x - 1)</c>.</summary>
    public static Pattern Elu { get; } = Op("Where", Op("Greater", X, C(0)), X, Op("Mul", PScalar("alpha"), Op("Sub", Op("Exp", X), C(1))));

    /// <summary>SELU, double form: <c>x &gt; 0 ? x λ : λα (e^x - 1)</c>.</summary>
    public static Pattern Selu { get; } =
        Op("Where", Op("Greater", X, C(0)), Op("Mul", X, PScalar("lambda")), Op("Mul", PScalar("lambda_alpha"), Op("Sub", Op("Exp", X), C(1))));

    /// <summary>Softplus, double form, the stable <c>max(x, 0) + ln(1 + e^-|x|)</c> the library computes.</summary>
    public static Pattern Softplus { get; } =
        Op("Add", Op("Max", X, C(0)), Op("Log", Op("Add", C(1), Op("Exp", Op("Neg", Op("Abs", X))))));

    private static readonly Pattern BatchNormScale = Op("Div", P("gamma"), Op("Sqrt", Op("Add", P("running_variance"), PScalar("epsilon"))));

    /// <summary>Batch normalisation in inference form, double graphs, exactly as <c>BatchNormLayer.Infer</c> computes it:
    /// <c>a = γ / √(σ² + ε)</c>, <c>c = β - a μ</c>, <c>y = x a + c</c> (the operator's epsilon is a float attribute,
    /// which would round ε).</summary>
    public static Pattern BatchNorm { get; } =
        Op("Add", Op("Mul", X, BatchNormScale), Op("Sub", P("beta"), Op("Mul", BatchNormScale, P("running_mean"))));

    /// <summary>The <c>doc_string</c> of the double form's last node starts with this, followed by the momentum.</summary>
    public const string BatchNormDocPrefix = "BatchNormalization in inference form; momentum=";

    /// <summary>The scaler in front: <c>(x - shift) / divisor</c>, as <c>Scaler.Transform</c> computes it.</summary>
    public static Pattern Scaler { get; } = Op("Div", Op("Sub", X, P("shift")), P("divisor"));
}
