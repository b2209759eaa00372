using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuralNet.Distributed.Hosting;

namespace NeuralNet.Distributed.Tests;

/// <summary>A real cluster on this machine: a redis-server on a free loopback port and silo processes
/// (NeuralNet.Distributed.Host) that the test can kill with SIGKILL. Everything binds to 127.0.0.1; every wait is
/// bounded.</summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Dictionary<string, Process> _silos = new(StringComparer.Ordinal);
    private readonly List<IHost> _clients = [];
    private readonly string? _pfx;
    private Process? _redis;

    private ProcessCluster(string clusterId, X509Certificate2? certificate, string? pfx)
    {
        _pfx = pfx;
        Settings = new DistributedClusterSettings { ClusterId = clusterId, ServiceId = clusterId, FastFailureDetection = true, Certificate = certificate };
    }

    public DistributedClusterSettings Settings { get; private set; }

    public IReadOnlyCollection<string> SiloNames => _silos.Keys;

    public static async Task<ProcessCluster> StartAsync(int silos, X509Certificate2? certificate = null, string? pfx = null)
    {
        var cluster = new ProcessCluster($"nn-{Guid.NewGuid():N}"[..16], certificate, pfx);
        try
        {
            await cluster.StartRedisAsync();
            await Task.WhenAll(Enumerable.Range(0, silos).Select(i => cluster.StartSiloAsync($"silo{i}")));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartRedisAsync()
    {
        int port = FreePort();
        _redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start (is the Debian package redis-server installed?)");
        _redis.OutputDataReceived += (_, _) => { };
        _redis.BeginOutputReadLine();
        Settings = Settings with { Redis = $"127.0.0.1:{port}" };
        DateTime deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_redis.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task<int> StartSiloAsync(string name)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "NeuralNet.Distributed.Host.dll");
        var arguments = new List<string>
        {
            host, "--name", name, "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(),
            "--redis", Settings.Redis!, "--cluster", Settings.ClusterId, "--fast-failure",
        };
        if (_pfx is not null)
        {
            arguments.AddRange(["--tls-pfx", _pfx]);
        }

        var process = Process.Start(new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start the silo host");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                // End of output: after READY this is a silo being stopped or killed, and stderr may still be
                // appending on another thread, so the log is read under its lock (an unlocked read crashed the test
                // host once: StringBuilder.ToString racing AppendLine).
                if (!ready.Task.IsCompleted)
                {
                    string text;
                    lock (log)
                    {
                        text = log.ToString();
                    }

                    ready.TrySetException(new InvalidOperationException($"silo {name} exited before it was ready:\n{text}"));
                }

                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("READY ", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_silos)
        {
            _silos[name] = process;
        }

        await ready.Task.WaitAsync(StartTimeout);
        return process.Id;
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill(string name)
    {
        Process process = _silos[name];
        process.Kill(entireProcessTree: false);
        process.WaitForExit(10_000);
        _silos.Remove(name);
    }

    public void KillAll()
    {
        foreach (string name in _silos.Keys.ToList())
        {
            Kill(name);
        }
    }

    /// <summary>Connects a client; with <paramref name="retry"/> false the first failed connection attempt throws.</summary>
    public async Task<IClusterClient> ConnectAsync(DistributedClusterSettings? settings = null, bool retry = true)
    {
        IHost client = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(c =>
            {
                c.ConfigureTrainingClient(settings ?? Settings);
                if (!retry)
                {
                    c.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
                }
            })
            .Build();
        _clients.Add(client);
        await client.StartAsync().WaitAsync(StartTimeout);
        return client.Services.GetRequiredService<IClusterClient>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IHost client in _clients)
        {
            try
            {
                await client.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                // Stopping a client whose silos are gone may fail; the processes are killed below anyway.
            }

            client.Dispose();
        }

        foreach (Process process in _silos.Values)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }

        _silos.Clear();
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            _redis.WaitForExit(10_000);
        }

        _redis?.Dispose();
    }
}
