using System.Diagnostics;

namespace Spiro.Cli.Doctor;

/// <summary>The <c>salt</c> command the deploy server highstates with runs, and the master answers it.</summary>
internal static class SaltCheck
{
    public static async Task<DoctorFinding> RunAsync(DoctorContext context)
    {
        var salt = context.Server?.SaltCommand ?? "salt";
        var configured = context.Server?.SaltCommand is not null ? $"salt_command in {context.ServerSource}" : "salt on PATH";
        var version = await RunAsync(salt, ["--version"], TimeSpan.FromSeconds(30));
        if (version is not { ExitCode: 0 })
        {
            return DoctorFinding.Fail("salt", $"{salt} ({configured}) does not run: {version?.Output ?? "not found"}",
                "install Salt on this master, or set salt_command (engine config or serve.yaml) to the salt executable");
        }

        var saltVersion = version.Output.Split('\n')[0].Trim();
        var ping = await RunAsync(salt, ["-c", context.Config.Directory, "--out=json", "--static", "--timeout=5", "*", "test.ping"], TimeSpan.FromSeconds(45));
        if (ping is { ExitCode: 0 })
        {
            // --static --out=json: one object, one "minion": true|false pair per line.
            var answered = ping.Output.Split('\n').Count(line => line.TrimEnd(',', ' ').EndsWith(": true", StringComparison.Ordinal));
            return DoctorFinding.Ok("salt", $"{saltVersion} answers; {answered} minion(s) answered test.ping");
        }

        var first = (ping?.Output ?? "timed out").Split('\n').FirstOrDefault(line => line.Trim().Length > 0)?.Trim() ?? "no output";
        return first.Contains("No minions matched", StringComparison.Ordinal)
            ? DoctorFinding.Warn("salt", $"{saltVersion} answers, but no minion is accepted yet: highstates have no target", "accept the minions' keys: salt-key -A")
            : DoctorFinding.Warn("salt", $"{saltVersion} runs, but the master does not answer ({first})", "start salt-master (systemctl start salt-master) and check its log");
    }

    private sealed record Result(int ExitCode, string Output);

    private static async Task<Result?> RunAsync(string command, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Result(-1, "not found, or not executable");
        }

        using (process)
        {
            using var cancel = new CancellationTokenSource(timeout);
            var output = process.StandardOutput.ReadToEndAsync(cancel.Token);
            var error = process.StandardError.ReadToEndAsync(cancel.Token);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
                return new Result(process.ExitCode, ((await output) + (await error)).Trim());
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
        }
    }
}
