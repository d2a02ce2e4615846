namespace Spiro.Core.Highstate;

/// <summary>How one minion's highstate ended.</summary>
public enum MinionOutcome
{
    /// <summary>Every state succeeded (with or without changes; under test=True, would-change counts as success).</summary>
    Succeeded,

    /// <summary>At least one state returned <c>result: false</c>.</summary>
    Failed,

    /// <summary>Salt could not render or compile the states: the return was a list of error strings.</summary>
    RenderError,

    /// <summary>The minion did not return (down, or timed out), or never appeared in salt's output.</summary>
    NoReturn,

    /// <summary>The return was a string (an exception) or had an unexpected shape.</summary>
    Error,
}
