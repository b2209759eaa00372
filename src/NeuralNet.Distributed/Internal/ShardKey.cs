using System.Globalization;

namespace NeuralNet.Distributed.Internal;

/// <summary>Keys of a job's shard grains: <c>{jobId}/{shard}</c>.</summary>
internal static class ShardKey
{
    public static string Of(string jobId, int shard) => string.Create(CultureInfo.InvariantCulture, $"{jobId}/{shard}");
}
