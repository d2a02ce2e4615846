namespace Spiro.Core.Highstate;

/// <summary>How highstates are run (the Salt-independent part; the command itself is the client's business).</summary>
public sealed record HighstateOptions
{
    /// <summary>Passed to the highstate as <c>-t SECONDS</c>: how long salt waits for minions. Null (default) keeps Salt's own default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Passed to salt as <c>--batch-size N</c> for the highstate. Null (default) highstates all minions at once.</summary>
    public string? BatchSize { get; init; }
}
