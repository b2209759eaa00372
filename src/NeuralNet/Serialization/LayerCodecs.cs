using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// The table of layer kinds model files may contain: <c>dense</c>, <c>dropout</c>, <c>batchnorm</c>, <c>conv2d</c>,
/// <c>max_pool2d</c>, <c>avg_pool2d</c>, <c>global_average_pool</c> and <c>flatten</c> built in, plus
/// any a package or application registers. Only registered kinds load; each kind maps to one codec.
/// </summary>
/// <example>
/// <code>
/// LayerCodecs.Register(new MyLayerCodec());   // once, at start-up, before saving or loading such layers
/// </code>
/// </example>
public static class LayerCodecs
{
    private static readonly Lock Gate = new();
    private static Dictionary<string, ILayerCodec> _byKind = new(StringComparer.Ordinal)
    {
        ["dense"] = new DenseCodec(),
        ["dropout"] = new DropoutCodec(),
        ["batchnorm"] = new BatchNormCodec(),
        ["conv2d"] = new Conv2DCodec(),
        ["max_pool2d"] = new Pool2DCodec(max: true),
        ["avg_pool2d"] = new Pool2DCodec(max: false),
        ["global_average_pool"] = new GlobalAveragePoolCodec(),
        ["flatten"] = new FlattenCodec(),
    };

    /// <summary>The registered kind names, sorted.</summary>
    public static IEnumerable<string> KnownKinds => Volatile.Read(ref _byKind).Keys.Order(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="codec"/> for its <see cref="ILayerCodec.Kind"/>. Registering the same instance
    /// again does nothing. Thread-safe.</summary>
    /// <param name="codec">The codec.</param>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is null.</exception>
    /// <exception cref="ArgumentException">The kind is empty, longer than 64 characters, not made of lower-case ASCII
    /// letters, digits, '_' and '.', or already taken by another codec.</exception>
    public static void Register(ILayerCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        string kind = codec.Kind;
        if (string.IsNullOrEmpty(kind) || kind.Length > 64 || !kind.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.'))
        {
            throw new ArgumentException($"A layer kind must be 1 to 64 characters of a-z, 0-9, '_' and '.'. Received: '{kind}'", nameof(codec));
        }

        lock (Gate)
        {
            if (_byKind.TryGetValue(kind, out ILayerCodec? existing))
            {
                if (ReferenceEquals(existing, codec))
                {
                    return;
                }

                throw new ArgumentException($"Layer kind '{kind}' is already registered by {existing.GetType().Name}.", nameof(codec));
            }

            // Copy on write: readers never lock.
            var next = new Dictionary<string, ILayerCodec>(_byKind, StringComparer.Ordinal) { [kind] = codec };
            Volatile.Write(ref _byKind, next);
        }
    }

    /// <summary>The codec registered for <paramref name="kind"/>, or null.</summary>
    /// <param name="kind">A kind name from a file.</param>
    public static ILayerCodec? Find(string kind) => Volatile.Read(ref _byKind).GetValueOrDefault(kind);

    /// <summary>The codec that writes <paramref name="layer"/>, or null for a layer type model files do not know.</summary>
    /// <param name="layer">The layer.</param>
    public static ILayerCodec? For<T>(Layer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> =>
        Volatile.Read(ref _byKind).TryGetValue(layer.Kind, out ILayerCodec? codec) && codec.Handles(layer) ? codec : null;
}
