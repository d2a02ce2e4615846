namespace Spiro.Deploy.Cli;

/// <summary>
/// Where the client writes and what it may ask its environment: the real console in the program,
/// captured writers in tests.
/// </summary>
/// <param name="Out">Events and results (stdout).</param>
/// <param name="Error">Progress, warnings and errors (stderr).</param>
/// <param name="OutIsTerminal">Whether stdout is a terminal (colours).</param>
/// <param name="ErrorIsTerminal">Whether stderr is a terminal (live progress bar).</param>
/// <param name="GetVariable">Environment variable lookup.</param>
/// <param name="Time">Clock for rates and durations.</param>
internal sealed record ConsoleEnvironment(
    TextWriter Out,
    TextWriter Error,
    bool OutIsTerminal,
    bool ErrorIsTerminal,
    Func<string, string?> GetVariable,
    TimeProvider Time)
{
    /// <summary>The process console.</summary>
    public static ConsoleEnvironment FromConsole() => new(
        Console.Out,
        Console.Error,
        !Console.IsOutputRedirected,
        !Console.IsErrorRedirected,
        Environment.GetEnvironmentVariable,
        TimeProvider.System);
}
