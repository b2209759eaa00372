using NeuralNet.Distributed.Messages;

namespace NeuralNet.Distributed.Hosting;

/// <summary>Builds <see cref="HostInfo"/> for the current process.</summary>
internal static class HostInfoFactory
{
    public static HostInfo Create(string silo) => new() { Silo = silo, ProcessId = Environment.ProcessId };
}
