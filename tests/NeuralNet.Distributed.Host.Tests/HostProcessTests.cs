using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NeuralNet.Distributed.Host.Tests;

/// <summary>
/// The silo process as its parents use it: started with <c>dotnet NeuralNet.Distributed.Host.dll</c>, bad command
/// lines refused with exit code 2 and a message naming the problem, a good one answering <c>READY name pid</c> and
/// exiting 0 when its standard input closes. Every wait is bounded; everything binds to 127.0.0.1.
/// </summary>
public class HostProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(new[] { "--name", "a", "--silo-port", "1", "--gateway-port", "2", "--colour", "red" }, "unknown option '--colour'")]
    [InlineData(new[] { "--name", "a", "--silo-port", "1" }, "--name, --silo-port and --gateway-port are required")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--name", "a", "--silo-port", "eleven", "--gateway-port", "2" }, "--silo-port takes a TCP port from 1 to 65535; got 'eleven'")]
    [InlineData(new[] { "--name", "a", "--silo-port", "1", "--gateway-port", "70000" }, "--gateway-port takes a TCP port from 1 to 65535; got '70000'")]
    [InlineData(new[] { "--name", "a", "--silo-port", "1", "--gateway-port", "2", "--primary-port", "-5" }, "--primary-port takes a TCP port")]
    public async Task BadCommandLine_ExitsWithTwo_AndSaysWhy(string[] arguments, string message)
    {
        using Process host = Start(arguments);
        host.StandardInput.Close();
        string error = await host.StandardError.ReadToEndAsync().WaitAsync(Timeout);
        await host.WaitForExitAsync().WaitAsync(Timeout);

        host.ExitCode.Should().Be(2);
        error.Should().Contain(message);
    }

    [Fact]
    public async Task StandaloneSilo_SaysReady_AndExitsCleanlyWhenStdinCloses()
    {
        using Process host = Start(["--name", "solo", "--silo-port", FreePort(), "--gateway-port", FreePort(), "--cluster", $"host-{Guid.NewGuid():N}"[..14]]);
        try
        {
            // Orleans' own warnings share standard output; the parent looks for the READY line among them.
            string? line;
            do
            {
                line = await host.StandardOutput.ReadLineAsync().WaitAsync(Timeout);
            }
            while (line is not null && !line.StartsWith("READY", StringComparison.Ordinal));

            line.Should().Be($"READY solo {host.Id}");
            _ = host.StandardOutput.ReadToEndAsync();

            host.StandardInput.Close();
            await host.WaitForExitAsync().WaitAsync(Timeout);
            host.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NeuralNet.Distributed.Host.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
