namespace NeuralNet.Layers;

/// <summary>
/// One tensor of a network in the flat layout of <see cref="ParameterLayout"/>: which layer owns it, its role in that
/// layer, its shape and where its values sit in the flat vector.
/// </summary>
/// <param name="Name"><c>{Layer}.{Role}</c>, e.g. <c>0.W</c>, <c>0.b</c>, <c>1.gamma</c>, <c>1.running_mean</c>.</param>
/// <param name="Layer">Index of the owning layer in <see cref="Network{T}.Layers"/>.</param>
/// <param name="Role">The tensor's name within its layer (<see cref="Parameter{T}.Name"/>).</param>
/// <param name="Rows">Rows of the tensor's matrix.</param>
/// <param name="Columns">Columns of the tensor's matrix.</param>
/// <param name="Offset">Index of its first value in the flat vector (column-major within the tensor).</param>
/// <param name="IsRegularized">Whether L2 and decoupled weight decay apply.</param>
/// <param name="IsBuffer">True for non-trainable state (batch norm's running statistics), which follows every
/// trainable tensor in the layout.</param>
public sealed record ParameterSegment(string Name, int Layer, string Role, int Rows, int Columns, int Offset, bool IsRegularized, bool IsBuffer)
{
    /// <summary>Number of values, <c>Rows · Columns</c>.</summary>
    public int Length => Rows * Columns;
}
