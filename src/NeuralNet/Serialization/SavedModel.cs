using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Serialization;

/// <summary>A model read by <see cref="ModelFile.Load{T}"/>: the network and everything saved beside it.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SavedModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal SavedModel(Network<T> network, Scaler? scaler, LabelMap? labels, IReadOnlyDictionary<string, string> metadata,
        IReadOnlyDictionary<string, double> trainingSummary, int formatVersion, string libraryVersion, DateTimeOffset createdUtc)
    {
        Network = network;
        Scaler = scaler;
        Labels = labels;
        Metadata = metadata;
        TrainingSummary = trainingSummary;
        FormatVersion = formatVersion;
        LibraryVersion = libraryVersion;
        CreatedUtc = createdUtc;
    }

    /// <summary>The network, with the saved weights; it predicts bit-identically to the one saved.</summary>
    public Network<T> Network { get; }

    /// <summary>The fitted scaler, when one was saved.</summary>
    public Scaler? Scaler { get; }

    /// <summary>The class names, when they were saved.</summary>
    public LabelMap? Labels { get; }

    /// <summary>Free-form text metadata (empty when none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The training summary (empty when none).</summary>
    public IReadOnlyDictionary<string, double> TrainingSummary { get; }

    /// <summary>The file format version.</summary>
    public int FormatVersion { get; }

    /// <summary>Version of the library that wrote the file.</summary>
    public string LibraryVersion { get; }

    /// <summary>When the file was written (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; }
}
