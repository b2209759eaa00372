using NeuralNet.Data;

namespace NeuralNet.Serialization;

/// <summary>What <see cref="ModelFile.Save{T}"/> stores beside the network. Everything is optional.</summary>
public sealed record ModelSaveOptions
{
    /// <summary>The fitted scaler the network's inputs went through; saved so production inputs get the same preprocessing.</summary>
    public Scaler? Scaler { get; init; }

    /// <summary>The class names (output unit <c>i</c> is class <c>i</c>).</summary>
    public LabelMap? Labels { get; init; }

    /// <summary>Free-form text metadata, e.g. the data set or a description.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>A training summary, e.g. <c>epochs</c>, <c>final_loss</c>, <c>test_accuracy</c>; values must be finite.</summary>
    public IReadOnlyDictionary<string, double>? TrainingSummary { get; init; }
}
