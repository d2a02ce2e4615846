namespace Spiro.Protocol.Highstate;

/// <summary>
/// One minion's highstate in numbers: the one result model of server, store and client
/// (docs/highstate.md, "Results"). Built by <see cref="MinionSummarizer"/>.
/// </summary>
/// <param name="Minion">Minion id.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Ok">States with <c>result: true</c> and no changes.</param>
/// <param name="Changed">States with <c>result: true</c> that changed something.</param>
/// <param name="WouldChange">States with <c>result: null</c> or none: what test=True says would change.</param>
/// <param name="Failed">States with <c>result: false</c>.</param>
/// <param name="States">
/// The states in run order: all of them for a return just received, only the failing ones for a
/// summary read back from the store.
/// </param>
/// <param name="Errors">Render errors, or the exception / no-return text.</param>
/// <param name="DurationMs">Sum of the states' durations in milliseconds.</param>
/// <param name="Retcode">Salt's retcode for the minion (0, 1 render/compile error, 2 a state failed); null when it did not return.</param>
public sealed record MinionSummary(
    string Minion,
    MinionOutcome Outcome,
    int Ok,
    int Changed,
    int WouldChange,
    int Failed,
    IReadOnlyList<StateResult> States,
    IReadOnlyList<string> Errors,
    double DurationMs,
    int? Retcode)
{
    /// <summary>Whether this minion fails the deploy: anything but <see cref="MinionOutcome.Succeeded"/>.</summary>
    public bool IsFailure => Outcome != MinionOutcome.Succeeded;

    /// <summary>The states that returned <c>result: false</c>, in run order.</summary>
    public IEnumerable<StateResult> FailingStates => States.Where(state => state.Result == false);

    /// <summary>A minion that was expected and never returned (absent from salt's output, or <c>{"failed": true}</c>).</summary>
    public static MinionSummary NeverReturned(string minion, string why = "the minion did not return") =>
        new(minion, MinionOutcome.NoReturn, 0, 0, 0, 0, [], [why], 0, null);
}
