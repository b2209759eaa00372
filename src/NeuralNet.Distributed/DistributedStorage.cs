namespace NeuralNet.Distributed;

/// <summary>The name of the Orleans grain storage provider the parameter-server shards persist to. Register one under
/// this name on every silo: <c>AddMemoryGrainStorage(DistributedStorage.Name)</c> for in-process tests,
/// <c>AddRedisGrainStorage(DistributedStorage.Name, ...)</c> (or any durable provider) for real clusters.</summary>
public static class DistributedStorage
{
    /// <summary>The provider name, <c>neuralnet</c>.</summary>
    public const string Name = "neuralnet";
}
