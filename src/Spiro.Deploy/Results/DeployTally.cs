namespace Spiro.Deploy.Results;

/// <summary>
/// What the event stream has said so far: minions expected, summaries received, server failure.
/// Decides the exit code once the stream ends.
/// </summary>
internal sealed class DeployTally
{
    private readonly SortedSet<string> expected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MinionSummary> reported = new(StringComparer.Ordinal);

    public IReadOnlyCollection<MinionSummary> Reported => reported.Values;

    public string? ServerError { get; private set; }

    public bool HighstateStarted { get; private set; }

    public bool HighstateFinished { get; private set; }

    public void Started(IEnumerable<string> minions)
    {
        HighstateStarted = true;
        expected.UnionWith(minions);
    }

    /// <summary>Records a minion's return; false when it already reported (Salt can send a bogus second document).</summary>
    public bool Report(MinionSummary summary) => reported.TryAdd(summary.Minion, summary);

    /// <summary>Highstate over; <paramref name="missing"/> are minions the server says never returned.</summary>
    public void Finished(IEnumerable<string> missing)
    {
        HighstateFinished = true;
        expected.UnionWith(missing);
    }

    /// <summary>The v1 API's closing status: succeeded, failed, rejected, too-large, locked, abandoned.</summary>
    public string? FinishStatus { get; private set; }

    public void DeployFinished(string status) => FinishStatus = status;

    public void Failed(string message) => ServerError ??= message;

    /// <summary>Minions named at highstate start that never reported, sorted.</summary>
    public IReadOnlyList<string> Unreported => [.. expected.Where(m => !reported.ContainsKey(m))];

    public IReadOnlyList<string> FailedMinions => [.. reported.Values.Where(s => s.IsFailure).Select(s => s.Minion).Order(StringComparer.Ordinal)];
}
