using System.Diagnostics;

namespace Spiro.Package.Tests;

/// <summary>Runs a real child process and returns its exit code and output.</summary>
internal static class Run
{
    internal sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Command(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? stdin = null, int timeoutSeconds = 300)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Command(string file, params string[] arguments) => Command(file, (IEnumerable<string>)arguments);

    /// <summary>Runs and fails the test with the whole output unless the exit code is 0.</summary>
    public static Result Ok(string file, params string[] arguments)
    {
        var result = Command(file, arguments);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.All}");
        return result;
    }
}
