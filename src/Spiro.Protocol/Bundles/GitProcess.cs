using System.ComponentModel;
using System.Diagnostics;

namespace Spiro.Protocol.Bundles;

/// <summary>Runs <c>git</c> in a directory and captures its output (AOT-safe: plain Process).</summary>
internal static class GitProcess
{
    public sealed record Output(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Null when git is not installed.</summary>
    public static async Task<Output?> RunAsync(string directory, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new Output(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>The first line of git's complaint, for one-line reasons.</summary>
    public static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? trimmed : trimmed[..newline];
    }
}
