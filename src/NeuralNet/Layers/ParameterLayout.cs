using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>
/// The flat layout of a network's tensors: every trainable tensor, layer by layer in each layer's
/// <see cref="Layer{T}.Parameters"/> order, then every buffer (<see cref="Layer{T}.Buffers"/>) the same way. Values of
/// one tensor are contiguous and column-major. This order is the contract that optimisers, checkpoints, the parameter
/// server, model interchange and other engines rely on; it depends only on the layer configuration.
/// </summary>
public sealed class ParameterLayout
{
    private readonly ParameterSegment[] _segments;
    private readonly Dictionary<string, ParameterSegment> _byName;

    private ParameterLayout(ParameterSegment[] segments, int parameterLength, int stateLength)
    {
        _segments = segments;
        ParameterLength = parameterLength;
        StateLength = stateLength;
        _byName = new Dictionary<string, ParameterSegment>(StringComparer.Ordinal);
        foreach (ParameterSegment segment in segments)
        {
            _byName[segment.Name] = segment;
        }
    }

    /// <summary>Every segment: the trainable ones (<see cref="ParameterSegment.IsBuffer"/> false) first, then the buffers.</summary>
    public IReadOnlyList<ParameterSegment> Segments => _segments;

    /// <summary>Trainable scalars: the length of the parameter and gradient vectors.</summary>
    public int ParameterLength { get; }

    /// <summary>Trainable scalars plus buffer scalars: the length of a full state (what a snapshot holds).</summary>
    public int StateLength { get; }

    /// <summary>The segment called <paramref name="name"/> (e.g. <c>0.W</c>), or null.</summary>
    /// <param name="name">The segment name.</param>
    public ParameterSegment? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The layout of <paramref name="layers"/>.</summary>
    /// <param name="layers">The layers, in network order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is null.</exception>
    /// <exception cref="ArgumentException">The network holds more than <see cref="int.MaxValue"/> scalars.</exception>
    public static ParameterLayout Of<T>(IReadOnlyList<Layer<T>> layers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layers);
        var tensors = new List<(int Layer, Parameter<T> Tensor, bool IsBuffer)>();
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                foreach (Parameter<T> p in pass == 1 ? layers[i].Buffers : layers[i].Parameters)
                {
                    tensors.Add((i, p, pass == 1));
                }
            }
        }

        return Of(tensors);
    }

    /// <summary>The layout of tensors given in flat order (trainable ones before buffers).</summary>
    internal static ParameterLayout Of<T>(IReadOnlyList<(int Layer, Parameter<T> Tensor, bool IsBuffer)> tensors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var segments = new ParameterSegment[tensors.Count];
        long offset = 0;
        int parameterLength = 0;
        for (int k = 0; k < segments.Length; k++)
        {
            (int layer, Parameter<T> p, bool buffer) = tensors[k];
            if (offset + p.Length > int.MaxValue)
            {
                throw new ArgumentException($"The network holds more than {int.MaxValue} scalars.", nameof(tensors));
            }

            segments[k] = new ParameterSegment($"{layer}.{p.Name}", layer, p.Name, p.Rows, p.Columns, (int)offset, p.IsRegularized, buffer);
            offset += p.Length;
            parameterLength += buffer ? 0 : p.Length;
        }

        return new ParameterLayout(segments, parameterLength, (int)offset);
    }

    /// <summary>One line per segment: name, shape, offset, and <c>L2</c> / <c>buffer</c> flags.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _segments.Select(s =>
        $"{s.Name} [{s.Rows}x{s.Columns}] @{s.Offset}{(s.IsRegularized ? " L2" : "")}{(s.IsBuffer ? " buffer" : "")}"));
}
