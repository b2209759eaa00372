namespace NeuralNet.Serialization;

/// <summary>What a layer configuration implies, worked out without allocating: its output shape and its tensors in
/// the order of the layer's <see cref="Layers.Layer{T}.Parameters"/> then <see cref="Layers.Layer{T}.Buffers"/>.</summary>
/// <param name="OutputShape">The shape of one output sample.</param>
/// <param name="Tensors">The tensors the layer owns.</param>
public readonly record struct LayerPlan(FeatureShape OutputShape, TensorSpec[] Tensors)
{
    /// <summary>Outputs per sample, <see cref="OutputShape"/>'s size.</summary>
    public int OutputSize => OutputShape.Size;
}
