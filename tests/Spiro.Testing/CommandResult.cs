namespace Spiro.Testing;

/// <summary>What a finished child process left: exit code, full stdout and stderr, and whether it was killed for taking too long.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error, bool TimedOut)
{
    /// <summary>Everything, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}{(TimedOut ? " (timed out, killed)" : "")}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
