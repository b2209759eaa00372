using NeuralNet.Data;

namespace NeuralNet.Onnx;

/// <summary>What <see cref="OnnxExporter"/> writes beside the network. Every property has a default.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The ONNX operator set, <see cref="OnnxExporter.MinOpset"/> to <see cref="OnnxExporter.MaxOpset"/>;
    /// default <see cref="OnnxExporter.DefaultOpset"/> (17). From 20 on, GELU is written as the <c>Gelu</c> operator
    /// in float graphs; below, it is decomposed into elementary operators.</summary>
    public int Opset { get; init; } = OnnxExporter.DefaultOpset;

    /// <summary>Name of the graph input, <c>[batch, features]</c> (default <c>input</c>).</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Name of the graph output, <c>[batch, outputs]</c> (default <c>output</c>).</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>A fitted scaler written as <c>Sub</c> and <c>Div</c> nodes in front of the network, so the graph takes raw
    /// features. Its kind goes into the metadata so the importer restores the same scaler.</summary>
    public Scaler? Scaler { get; init; }

    /// <summary>Class names (output unit <c>i</c> is class <c>i</c>), written to the metadata as
    /// <c>neuralnet.class_names</c>, a JSON array.</summary>
    public LabelMap? Labels { get; init; }

    /// <summary>When true, a second output <see cref="ArgMaxName"/>, <c>int64 [batch]</c>, holds
    /// <c>ArgMax(output, axis=1)</c>: the predicted class index (ties go to the first maximum, as in ONNX).</summary>
    public bool IncludeArgMax { get; init; }

    /// <summary>Name of the ArgMax output (default <c>class_index</c>).</summary>
    public string ArgMaxName { get; init; } = "class_index";

    /// <summary>Free-form text written as <c>metadata_props</c>. Keys starting with <c>neuralnet.</c> are reserved for
    /// what the exporter writes itself.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The graph's name (default <c>neuralnet</c>).</summary>
    public string GraphName { get; init; } = "neuralnet";

    /// <summary>The model's <c>doc_string</c>, when not null.</summary>
    public string? Description { get; init; }
}
