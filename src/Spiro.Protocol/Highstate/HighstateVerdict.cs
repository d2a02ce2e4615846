namespace Spiro.Protocol.Highstate;

/// <summary>
/// The exit-code rule of a highstate, shared by server and client: it passes when every minion that
/// reported succeeded and every expected minion returned, unless the deploy asked to tolerate
/// minions that did not return (<c>tolerate_missing</c>, <c>spiro-deploy --tolerate-missing</c>).
/// </summary>
/// <param name="Failed">Minions whose highstate failed, did not render or raised, sorted.</param>
/// <param name="Missing">Expected minions that did not return and were not tolerated, sorted.</param>
/// <param name="Tolerated">Expected minions that did not return but were tolerated, sorted.</param>
public sealed record HighstateVerdict(IReadOnlyList<string> Failed, IReadOnlyList<string> Missing, IReadOnlyList<string> Tolerated)
{
    /// <summary>Whether CI may call the deploy good (spiro-deploy exit 0).</summary>
    public bool Passed => Failed.Count == 0 && Missing.Count == 0;

    /// <summary>
    /// Judges <paramref name="minions"/> (each minion's summary) and <paramref name="missing"/>
    /// (expected minions with no summary, or whose summary is <see cref="MinionOutcome.NoReturn"/>).
    /// </summary>
    public static HighstateVerdict Of(IEnumerable<MinionSummary> minions, IEnumerable<string> missing, bool tolerateMissing)
    {
        ArgumentNullException.ThrowIfNull(minions);
        ArgumentNullException.ThrowIfNull(missing);
        var summaries = minions.ToList();
        var absent = new SortedSet<string>(missing, StringComparer.Ordinal);
        absent.UnionWith(summaries.Where(summary => summary.Outcome == MinionOutcome.NoReturn).Select(summary => summary.Minion));
        var failed = summaries
            .Where(summary => summary.IsFailure && summary.Outcome != MinionOutcome.NoReturn && !absent.Contains(summary.Minion))
            .Select(summary => summary.Minion)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return tolerateMissing ? new(failed, [], [.. absent]) : new(failed, [.. absent], []);
    }
}
