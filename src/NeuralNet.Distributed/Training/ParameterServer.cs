using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Internal;
using NeuralNet.Distributed.Messages;
using NeuralNet.Layers;

namespace NeuralNet.Distributed.Training;

/// <summary>Starts a job's parameter server: the network's flat parameters (<see cref="ParameterSet{T}"/> layout) cut
/// into S key ranges, each held by an <see cref="IParameterShardGrain"/> with its own copy of the optimiser.</summary>
public static class ParameterServer
{
    /// <summary>Shard boundaries of a flat vector of <paramref name="length"/> scalars: shard s holds
    /// <c>[⌊sP/S⌋, ⌊(s+1)P/S⌋)</c>.</summary>
    /// <param name="length">P, the number of trainable scalars.</param>
    /// <param name="shards">S, at least 1 and at most P.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shards"/> is not in [1, P].</exception>
    public static int[] ShardOffsets(int length, int shards)
    {
        if (shards < 1 || shards > length)
        {
            throw new ArgumentOutOfRangeException(nameof(shards), shards, $"shards must be in [1, {length}] (the parameter count). Received: shards={shards}");
        }

        var offsets = new int[shards + 1];
        for (int s = 0; s <= shards; s++)
        {
            offsets[s] = (int)((long)s * length / shards);
        }

        return offsets;
    }

    /// <summary>Starts (or, with <see cref="ParameterServerOptions.Resume"/>, resumes) the shards of a job from
    /// <paramref name="network"/>'s weights.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="grains">The cluster.</param>
    /// <param name="network">The network whose architecture and weights the job trains.</param>
    /// <param name="options">The server's settings.</param>
    /// <returns>The version the shards serve from (0 unless resumed).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="NotSupportedException">A full-batch or custom optimiser.</exception>
    /// <exception cref="InvalidOperationException">Resumed shards are at different versions.</exception>
    public static async Task<long> StartAsync<T>(IGrainFactory grains, Network<T> network, ParameterServerOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        OptimizerSpec optimizer = OptimizerSpec.From(options.Optimizer);
        ParameterSet<T> parameters = network.ParameterSet;
        int[] offsets = ShardOffsets(parameters.Length, options.Shards);
        var flat = new T[parameters.Length];
        parameters.CopyValuesTo<T>(flat);
        var starts = new Task<long>[options.Shards];
        for (int s = 0; s < options.Shards; s++)
        {
            var setup = new ShardSetup
            {
                JobId = options.JobId, Shard = s, ShardCount = options.Shards,
                Precision = typeof(T) == typeof(float) ? Precision.Single : Precision.Double,
                Values = MemoryMarshal.AsBytes(flat.AsSpan(offsets[s], offsets[s + 1] - offsets[s])).ToArray(),
                Pieces = Pieces(parameters.Layout, offsets[s], offsets[s + 1]), Optimizer = optimizer, Mode = options.Mode,
                Staleness = options.Staleness, CheckpointEvery = options.CheckpointEvery, StepsPerEpoch = options.StepsPerEpoch,
                GradientClipNorm = options.GradientClipNorm, BarrierTimeout = options.BarrierTimeout, Seed = options.Seed,
            };
            starts[s] = grains.GetGrain<IParameterShardGrain>(ShardKey.Of(options.JobId, s)).StartAsync(setup, options.Resume);
        }

        long[] versions = await Task.WhenAll(starts);
        if (versions.Distinct().Count() != 1)
        {
            throw new InvalidOperationException($"The persisted shards of job '{options.JobId}' are at different versions ({string.Join(", ", versions)}).");
        }

        return versions[0];
    }

    /// <summary>Copies the shards' current values into <paramref name="network"/>; returns their version.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="grains">The cluster.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="shards">The job's shard count.</param>
    /// <param name="network">Receives the values.</param>
    /// <exception cref="InvalidOperationException">The shards disagree about the version or the length.</exception>
    public static async Task<long> PullAsync<T>(IGrainFactory grains, string jobId, int shards, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(network);
        int[] offsets = ShardOffsets(network.ParameterSet.Length, shards);
        ParameterSnapshot[] snapshots = await Task.WhenAll(Enumerable.Range(0, shards)
            .Select(s => grains.GetGrain<IParameterShardGrain>(ShardKey.Of(jobId, s)).PullAsync(0)));
        var flat = new T[offsets[^1]];
        for (int s = 0; s < shards; s++)
        {
            ReadOnlySpan<T> values = MemoryMarshal.Cast<byte, T>(snapshots[s].Values);
            if (values.Length != offsets[s + 1] - offsets[s])
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Shard {s} of job '{jobId}' holds {values.Length} values; the network's range has {offsets[s + 1] - offsets[s]}."));
            }

            values.CopyTo(flat.AsSpan(offsets[s]));
        }

        network.ParameterSet.SetValues<T>(flat);
        return snapshots.Min(p => p.Version);
    }

    /// <summary>The key range [from, to) cut at the boundaries of the layout's trainable segments.</summary>
    internal static ShardPiece[] Pieces(ParameterLayout layout, int from, int to)
    {
        var pieces = new List<ShardPiece>();
        foreach (ParameterSegment segment in layout.Segments)
        {
            if (segment.IsBuffer)
            {
                continue;
            }

            int lo = Math.Max(from, segment.Offset), hi = Math.Min(to, segment.Offset + segment.Length);
            if (lo < hi)
            {
                pieces.Add(new ShardPiece
                {
                    Name = string.Create(CultureInfo.InvariantCulture, $"{segment.Name}[{lo - segment.Offset}:{hi - segment.Offset}]"),
                    Length = hi - lo,
                    IsRegularized = segment.IsRegularized,
                });
            }
        }

        return pieces.ToArray();
    }
}
