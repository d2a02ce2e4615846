using Spiro.Deploy.Cli;

namespace Spiro.Deploy.Tests.Support;

/// <summary>Runs spiro-deploy's real entry point in-process with captured stdout and stderr.</summary>
internal static class CliRun
{
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunAsync(environment, TimeProvider.System, args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, TimeProvider time, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var variables = environment ?? new Dictionary<string, string>();
        var console = new ConsoleEnvironment(stdout, stderr, false, false, name => variables.GetValueOrDefault(name), time);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var exitCode = await DeployCommand.RunAsync(args, console, timeout.Token);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);
}

/// <summary>What one run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
