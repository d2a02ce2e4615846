namespace Spiro.Deploy.Results;

/// <summary>The shapes a minion's highstate value takes (salt-samples/README.md).</summary>
internal enum MinionResultKind
{
    /// <summary>A dict of states: the highstate ran.</summary>
    States,

    /// <summary>A list of strings: render or compile errors.</summary>
    Errors,

    /// <summary>A string: no return, or an exception.</summary>
    Message,

    /// <summary>Anything else: shown as JSON and counted as failed.</summary>
    Unknown,
}
