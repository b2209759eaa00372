namespace NeuralNet.Onnx;

/// <summary>The <c>metadata_props</c> keys the exporter writes and the importer reads.</summary>
public static class OnnxMetadataKeys
{
    /// <summary>The class names, a JSON array of strings: output unit <c>i</c> is class <c>i</c>.</summary>
    public const string ClassNames = "neuralnet.class_names";

    /// <summary>The kind of the scaler in front of the network (<c>min_max</c> or <c>standard</c>).</summary>
    public const string Scaler = "neuralnet.scaler";
}
