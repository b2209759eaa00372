using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NeuralNet.Samples.Distributed;

/// <summary>Silo processes (NeuralNet.Distributed.Host) on 127.0.0.1, started and stopped by the sample.</summary>
internal sealed class SiloProcesses : IDisposable
{
    private readonly List<(string Name, Process Process, int GatewayPort)> _silos = [];

    public IReadOnlyList<int> GatewayPorts => _silos.Select(s => s.GatewayPort).ToList();

    public IReadOnlyList<string> Names => _silos.Select(s => s.Name).ToList();

    public int PrimaryPort { get; } = FreePort();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts silos silo0..silo{count-1}; without Redis, silo0 is the localhost-clustering primary.</summary>
    public void Start(int count, string clusterId, string? redis)
    {
        var ready = new List<Task>();
        for (int i = 0; i < count; i++)
        {
            string name = $"silo{i}";
            int siloPort = i == 0 ? PrimaryPort : FreePort(), gatewayPort = FreePort();
            var arguments = new List<string>
            {
                Path.Combine(AppContext.BaseDirectory, "NeuralNet.Distributed.Host.dll"), "--name", name,
                "--silo-port", siloPort.ToString(CultureInfo.InvariantCulture), "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture),
                "--cluster", clusterId, "--fast-failure",
            };
            arguments.AddRange(redis is null ? ["--primary-port", PrimaryPort.ToString(CultureInfo.InvariantCulture)] : ["--redis", redis]);
            var process = Process.Start(new ProcessStartInfo("dotnet", arguments)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("could not start a silo process");
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    started.TrySetException(new InvalidOperationException($"{name} exited before it was ready"));
                }
                else if (e.Data.StartsWith("READY", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _silos.Add((name, process, gatewayPort));
            ready.Add(started.Task);
            if (i == 0 && redis is null)
            {
                // The primary first: the others join through it.
                started.Task.Wait(TimeSpan.FromSeconds(90));
            }
        }

        if (!Task.WhenAll(ready).Wait(TimeSpan.FromSeconds(120)))
        {
            throw new TimeoutException("the silo processes did not start within 120 s");
        }
    }

    public int ProcessId(string name) => _silos.Single(s => s.Name == name).Process.Id;

    /// <summary>SIGKILL, as a crashed machine would leave it.</summary>
    public void Kill(string name) => _silos.Single(s => s.Name == name).Process.Kill();

    public void Dispose()
    {
        foreach ((_, Process process, _) in _silos)
        {
            if (!process.HasExited)
            {
                process.StandardInput.Close(); // the host stops when its stdin closes
            }
        }

        foreach ((_, Process process, _) in _silos)
        {
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
            }

            process.Dispose();
        }
    }
}
