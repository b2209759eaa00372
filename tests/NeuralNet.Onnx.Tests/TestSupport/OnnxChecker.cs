using System.Diagnostics;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>
/// The official ONNX checker, <c>onnx.checker.check_model(model, full_check=True)</c>, from Debian's python3-onnx,
/// run once over many files (one Python start-up for all of them).
/// </summary>
public static class OnnxChecker
{
    private const string Script = """
        import sys, onnx
        failed = 0
        for path in sys.argv[1:]:
            try:
                onnx.checker.check_model(onnx.load(path), full_check=True)
                print("OK " + path)
            except Exception as e:
                failed += 1
                print("FAIL " + path + ": " + str(e).replace("\n", " "))
        sys.exit(1 if failed else 0)
        """;

    /// <summary>Checks every file; returns the checker's report (one line per file) and whether all passed.</summary>
    public static (bool AllPassed, string Report) Check(IEnumerable<string> paths)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        foreach (string path in paths)
        {
            start.ArgumentList.Add(path);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            return (false, "the checker did not finish within two minutes");
        }

        return (process.ExitCode == 0, output + error.Result);
    }
}
