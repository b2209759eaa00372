using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNet.Distributed.Messages;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Distributed.Internal;

/// <summary>
/// A key range of the flat parameter vector as <see cref="Parameter{T}"/> pieces (one per tensor it overlaps), stepped by
/// a core optimiser. The core's mini-batch optimisers are element-wise, so stepping the pieces of every shard equals
/// stepping the whole network's parameters.
/// </summary>
internal sealed class ShardCore<T> : IShardCore where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _pieces;
    private readonly T[] _sum;
    private readonly IOptimizer _optimizer;
    private readonly double? _clip;
    private readonly int _shard;

    public ShardCore(ShardSetup setup, ReadOnlySpan<byte> values, OptimizerState? optimizerState)
    {
        _shard = setup.Shard;
        _pieces = new Parameter<T>[setup.Pieces.Length];
        int total = 0;
        for (int i = 0; i < _pieces.Length; i++)
        {
            ShardPiece piece = setup.Pieces[i];
            _pieces[i] = new Parameter<T>(piece.Name, piece.Length, 1, piece.IsRegularized);
            total += piece.Length;
        }

        ReadOnlySpan<T> source = MemoryMarshal.Cast<byte, T>(values);
        if (source.Length != total || values.Length != total * Unsafe.SizeOf<T>())
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Shard {setup.Shard}: the pieces hold {total} values but {values.Length} bytes ({values.Length / (double)Unsafe.SizeOf<T>()} values of {typeof(T).Name}) were given."), nameof(values));
        }

        int offset = 0;
        foreach (Parameter<T> p in _pieces)
        {
            source.Slice(offset, p.Length).CopyTo(p.Value);
            offset += p.Length;
        }

        Length = total;
        _sum = new T[total];
        _clip = setup.GradientClipNorm;
        _optimizer = setup.Optimizer.Create();
        if (optimizerState is not null)
        {
            _optimizer.ImportState(optimizerState);
        }
    }

    public int Length { get; }

    public string? Check(ReadOnlySpan<byte> gradient)
    {
        int size = Unsafe.SizeOf<T>();
        if (gradient.Length != Length * size)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the gradient has {gradient.Length} bytes ({gradient.Length / (double)size} values of {typeof(T).Name}) but shard {_shard} holds {Length} values");
        }

        ReadOnlySpan<T> g = MemoryMarshal.Cast<byte, T>(gradient);
        // MaxMagnitude is NaN when any value is NaN and infinite when any is infinite: one vectorised pass.
        if (!T.IsFinite(TensorPrimitives.MaxMagnitude(g)))
        {
            for (int i = 0; i < g.Length; i++)
            {
                if (!T.IsFinite(g[i]))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the gradient holds {g[i]} at element {i} of shard {_shard}");
                }
            }
        }

        return null;
    }

    public void Apply(IReadOnlyList<byte[]?> parts, double scale, double learningRate)
    {
        // g = scale · Σ_w part_w, summed in worker order (not arrival order) so runs reproduce bit for bit.
        Array.Clear(_sum);
        foreach (byte[]? part in parts)
        {
            if (part is not null)
            {
                TensorPrimitives.Add(_sum, MemoryMarshal.Cast<byte, T>(part), _sum);
            }
        }

        if (scale != 1)
        {
            TensorPrimitives.Multiply(_sum, T.CreateTruncating(scale), _sum);
        }

        // The parts already hold the L2 term λw (each worker's objective adds it, scaled by its share).
        int offset = 0;
        foreach (Parameter<T> p in _pieces)
        {
            _sum.AsSpan(offset, p.Length).CopyTo(p.Gradient);
            offset += p.Length;
        }

        if (_clip is { } clip)
        {
            // g ← g · c / max(c, ‖g‖); only configured with one shard, which then holds the whole gradient.
            double norm2 = 0;
            foreach (Parameter<T> p in _pieces)
            {
                norm2 += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(p.Gradient));
            }

            double norm = Math.Sqrt(norm2);
            if (norm > clip)
            {
                T factor = T.CreateTruncating(clip / norm);
                foreach (Parameter<T> p in _pieces)
                {
                    TensorPrimitives.Multiply(p.Gradient, factor, p.Gradient);
                }
            }
        }

        _optimizer.LearningRate = learningRate;
        _optimizer.Step(_pieces, T.Zero);
    }

    public byte[] CopyValues()
    {
        var bytes = new byte[Length * Unsafe.SizeOf<T>()];
        Span<T> destination = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
        int offset = 0;
        foreach (Parameter<T> p in _pieces)
        {
            p.Value.CopyTo(destination.Slice(offset, p.Length));
            offset += p.Length;
        }

        return bytes;
    }

    public OptimizerState ExportOptimizer() => _optimizer.ExportState();
}
