namespace NeuralNet.Onnx.Graph;

/// <summary>Which IR version goes with an operator set (onnx/onnx docs/Versioning.md, "Released Versions").</summary>
internal static class OnnxVersions
{
    /// <summary>The lowest IR version that knows <paramref name="opset"/>: ONNX 1.8 (opset 13, 14) wrote IR 7,
    /// 1.10 to 1.13 (opsets 15 to 18) IR 8, 1.14 and 1.15 (19, 20) IR 9, 1.16 (21) IR 10.</summary>
    public static long IrVersionFor(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
