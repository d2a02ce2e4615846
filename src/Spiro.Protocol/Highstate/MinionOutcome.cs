namespace Spiro.Protocol.Highstate;

/// <summary>How one minion's highstate ended (docs/highstate.md, "Results").</summary>
public enum MinionOutcome
{
    /// <summary>No state failed (changes, and under test=True would-change, included).</summary>
    Succeeded,

    /// <summary>At least one state returned <c>result: false</c> (Salt's retcode 2).</summary>
    Failed,

    /// <summary>Salt could not render or compile the states: the return was a list of error strings (retcode 1).</summary>
    RenderError,

    /// <summary>The minion did not return: down, timed out, never in salt's output, or <c>{}</c> in batch mode.</summary>
    NoReturn,

    /// <summary>The return was a string (an exception) or had an unexpected shape.</summary>
    Error,
}
