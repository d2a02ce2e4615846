namespace Spiro.Core.Highstate;

/// <summary>What a salt run produces, in order: stdout lines, then how it ended.</summary>
public abstract record SaltOutput
{
    private SaltOutput()
    {
    }

    /// <summary>One line of stdout, without its line break.</summary>
    public sealed record Line(string Text) : SaltOutput;

    /// <summary>The process ended (last item).</summary>
    /// <param name="ExitCode">Salt's exit code (1 when a minion failed or did not return).</param>
    /// <param name="StandardError">What it printed on stderr (possibly truncated to its tail).</param>
    /// <param name="TimedOut">It ran past the process timeout and was killed.</param>
    public sealed record Exited(int ExitCode, string StandardError, bool TimedOut) : SaltOutput;

    /// <summary>The command could not be started (not installed, not executable); last item.</summary>
    public sealed record Unavailable(string Message) : SaltOutput;
}
