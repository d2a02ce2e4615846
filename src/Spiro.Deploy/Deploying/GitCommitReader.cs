using System.Diagnostics;

namespace Spiro.Deploy.Deploying;

/// <summary><c>.gitcommit</c> content: <c>git rev-parse HEAD</c>, newline, <c>git describe --all</c>.</summary>
internal static class GitCommitReader
{
    /// <summary>The content, or null with the reason when git or a repository is absent.</summary>
    public static (string? Content, string? Problem) Read(string directory)
    {
        var commit = Git(directory, "rev-parse", "HEAD");
        if (commit.Problem is not null)
        {
            return (null, commit.Problem);
        }

        var describe = Git(directory, "describe", "--all");
        return ($"{commit.Output}\n{describe.Output}", null);
    }

    private static (string Output, string? Problem) Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            _ = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? (output.Trim(), null) : (string.Empty, "not a git repository (or no commit yet)");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (string.Empty, "git is not installed");
        }
    }
}
