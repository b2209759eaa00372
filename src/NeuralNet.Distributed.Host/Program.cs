// A silo process for distributed training: hosts parameter-server shards and one worker, named --name.
//   dotnet NeuralNet.Distributed.Host.dll --name w1 --silo-port 11112 --gateway-port 30001
//       [--redis 127.0.0.1:6379 | --primary-port 11111] [--cluster ID] [--tls-pfx FILE --tls-password PW] [--fast-failure]
// Prints "READY <name> <pid>" once the silo has joined the cluster; stops on SIGTERM or when stdin closes.
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuralNet.Distributed.Hosting;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal))
    {
        Console.Error.WriteLine($"unexpected argument '{args[i]}'");
        return 2;
    }

    bool flag = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
    options[args[i][2..]] = flag ? "" : args[++i];
}

string[] known = ["name", "silo-port", "gateway-port", "redis", "primary-port", "cluster", "tls-pfx", "tls-password", "fast-failure"];
foreach (string key in options.Keys)
{
    if (!known.Contains(key))
    {
        Console.Error.WriteLine($"unknown option '--{key}'; known: {string.Join(", ", known.Select(k => "--" + k))}");
        return 2;
    }
}

if (!options.TryGetValue("name", out string? name) || !options.ContainsKey("silo-port") || !options.ContainsKey("gateway-port"))
{
    Console.Error.WriteLine("--name, --silo-port and --gateway-port are required");
    return 2;
}

int? Port(string key)
{
    if (int.TryParse(options[key], NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535)
    {
        return port;
    }

    Console.Error.WriteLine($"--{key} takes a TCP port from 1 to 65535; got '{options[key]}'");
    return null;
}

if (Port("silo-port") is not int siloPort || Port("gateway-port") is not int gatewayPort
    || (options.ContainsKey("primary-port") ? Port("primary-port") : siloPort) is not int primaryPort)
{
    return 2;
}

var settings = new DistributedClusterSettings
{
    ClusterId = options.GetValueOrDefault("cluster") ?? "neuralnet",
    ServiceId = options.GetValueOrDefault("cluster") ?? "neuralnet",
    Redis = options.GetValueOrDefault("redis"),
    PrimarySiloPort = primaryPort,
    Certificate = options.TryGetValue("tls-pfx", out string? pfx)
        ? X509CertificateLoader.LoadPkcs12FromFile(pfx, options.GetValueOrDefault("tls-password"))
        : null,
    FastFailureDetection = options.ContainsKey("fast-failure"),
};

IHost host = Host.CreateDefaultBuilder()
    .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
    .UseOrleans(silo => silo.ConfigureTrainingSilo(settings, name, siloPort, gatewayPort))
    .Build();
await host.StartAsync();
Console.WriteLine($"READY {name} {Environment.ProcessId}");
Console.Out.Flush();

// Stop when the parent closes our stdin (a test or the sample ending) or on SIGTERM.
var stdinClosed = Task.Run(() =>
{
    while (Console.In.ReadLine() is not null)
    {
    }
});
var lifetime = host.Services.GetService(typeof(IHostApplicationLifetime)) as IHostApplicationLifetime;
var stopping = new TaskCompletionSource();
lifetime?.ApplicationStopping.Register(() => stopping.TrySetResult());
await Task.WhenAny(stdinClosed, stopping.Task);
await host.StopAsync(TimeSpan.FromSeconds(5));
return 0;
