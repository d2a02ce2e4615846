namespace Spiro.Core.Highstate;

/// <summary>Which minions use a saltenv, from <c>state.show_top</c>.</summary>
/// <param name="Minions">Minions whose top data lists the saltenv, sorted.</param>
/// <param name="Errors">Minions whose top data was not a mapping (e.g. a traceback because some top.sls is malformed): minion to text.</param>
/// <param name="Answered">Every minion that answered show_top, sorted.</param>
/// <param name="SkippedLines">Non-JSON stdout lines that were ignored.</param>
public sealed record AffectedMinions(
    IReadOnlyList<string> Minions,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<string> Answered,
    IReadOnlyList<string> SkippedLines);
