namespace Spiro.Core.Highstate;

/// <summary>One minion's highstate in numbers.</summary>
/// <param name="Minion">Minion id.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Ok">States that succeeded without changes.</param>
/// <param name="Changed">States that changed something (under test=True: would change, <c>result: null</c>).</param>
/// <param name="Failed">States with <c>result: false</c>.</param>
/// <param name="FailingStates">The failed states, in run order.</param>
/// <param name="Errors">Render errors, or the exception / no-return text.</param>
/// <param name="DurationMs">Sum of the states' durations in milliseconds.</param>
public sealed record MinionSummary(
    string Minion,
    MinionOutcome Outcome,
    int Ok,
    int Changed,
    int Failed,
    IReadOnlyList<FailingState> FailingStates,
    IReadOnlyList<string> Errors,
    double DurationMs)
{
    /// <summary>A minion that never appeared in salt's output.</summary>
    public static MinionSummary NeverReturned(string minion) =>
        new(minion, MinionOutcome.NoReturn, 0, 0, 0, [], ["the minion did not return (no document in salt's output)"], 0);
}
