namespace NeuralNet.Serialization;

/// <summary>A tensor that a layer of a given configuration owns: its name, whether it is a buffer, and its shape.</summary>
/// <param name="Name">Name within the layer (<see cref="Layers.Parameter{T}.Name"/>).</param>
/// <param name="IsBuffer">True for non-trainable state such as running statistics.</param>
/// <param name="Rows">Rows of its matrix.</param>
/// <param name="Columns">Columns of its matrix.</param>
public readonly record struct TensorSpec(string Name, bool IsBuffer, int Rows, int Columns)
{
    /// <summary>Values in the tensor, <c>Rows · Columns</c>, as a 64-bit count so absurd sizes cannot overflow.</summary>
    public long Length => (long)Rows * Columns;
}
