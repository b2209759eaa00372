using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Onnx;

/// <summary>A model read by <see cref="OnnxImporter"/>: the network and what the file said beside it.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class OnnxModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal OnnxModel(Network<T> network, Scaler? scaler, LabelMap? labels, IReadOnlyDictionary<string, string> metadata,
        int opset, string producerName, string producerVersion, string inputName, string outputName, string? argMaxName, bool isDoubleFile)
    {
        Network = network;
        Scaler = scaler;
        Labels = labels;
        Metadata = metadata;
        Opset = opset;
        ProducerName = producerName;
        ProducerVersion = producerVersion;
        InputName = inputName;
        OutputName = outputName;
        ArgMaxName = argMaxName;
        IsDoubleFile = isDoubleFile;
    }

    /// <summary>The network; its <c>Predict</c> computes the graph's output from scaled inputs (see <see cref="Scaler"/>).</summary>
    public Network<T> Network { get; }

    /// <summary>The scaler the graph applied in front of the first layer (<c>Sub</c> then <c>Div</c>), or null. Apply it
    /// with <c>Scaler.Transform</c> before <c>Network.Predict</c>, as the graph did.</summary>
    public Scaler? Scaler { get; }

    /// <summary>The class names from the metadata (<see cref="OnnxMetadataKeys.ClassNames"/>), or null.</summary>
    public LabelMap? Labels { get; }

    /// <summary>Every <c>metadata_props</c> entry of the file, including the <c>neuralnet.</c> ones.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file's ONNX operator set.</summary>
    public int Opset { get; }

    /// <summary>The tool that wrote the file, e.g. <c>pytorch</c> or <c>NeuralNet</c>.</summary>
    public string ProducerName { get; }

    /// <summary>That tool's version.</summary>
    public string ProducerVersion { get; }

    /// <summary>The graph input's name.</summary>
    public string InputName { get; }

    /// <summary>The graph output's name.</summary>
    public string OutputName { get; }

    /// <summary>The name of the ArgMax output, when the graph had one.</summary>
    public string? ArgMaxName { get; }

    /// <summary>Whether the file's tensors were DOUBLE (else FLOAT); values convert to <typeparamref name="T"/>.</summary>
    public bool IsDoubleFile { get; }
}
