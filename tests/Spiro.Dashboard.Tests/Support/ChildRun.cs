using System.Diagnostics;

namespace Spiro.Dashboard.Tests.Support;

/// <summary>Runs an executable to completion and captures its output.</summary>
internal static class ChildRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string executable, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(Info(executable, args, workingDirectory))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output, await error);
    }

    public static ProcessStartInfo Info(string executable, IEnumerable<string> args, string? workingDirectory)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("SPIRO_TOKEN");
        info.Environment.Remove("SPIRO_URL");
        info.Environment["NO_COLOR"] = "1";
        return info;
    }
}
