using System.Diagnostics;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// Loads a file in a child process (NeuralNet.LoadProbe) whose GC heap is capped with <c>DOTNET_GCHeapHardLimit</c>,
/// so a file that makes the loader allocate without bound fails one test with "out of memory" instead of taking the
/// test run down with it.
/// </summary>
public static class Probe
{
    /// <summary>How the child ended: the exit code (0 loaded, 2 InvalidDataFileException, 3 out of memory, 4 other) and
    /// its output.</summary>
    public readonly record struct Outcome(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output.Trim()}";
    }

    /// <summary>Runs the probe on <paramref name="path"/> as <paramref name="kind"/> with a heap of
    /// <paramref name="heapLimitBytes"/>; waits at most two minutes.</summary>
    public static Outcome Load(string kind, string path, long heapLimitBytes)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "NeuralNet.LoadProbe.dll");
        File.Exists(probe).Should().BeTrue($"the probe is built beside the tests ({probe})");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(kind);
        start.ArgumentList.Add(path);
        start.Environment["DOTNET_GCHeapHardLimit"] = heapLimitBytes.ToString("X");
        start.Environment["DOTNET_gcServer"] = "0";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the probe did not finish loading {path} within two minutes");
        }

        process.WaitForExit();
        return new Outcome(process.ExitCode, output.Result + error.Result);
    }
}
