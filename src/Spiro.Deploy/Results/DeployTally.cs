using Spiro.Protocol.Highstate;

namespace Spiro.Deploy.Results;

/// <summary>
/// What the event stream has said so far: minions expected, summaries received, server failure.
/// Decides the minions' part of the exit code with the shared rule (<see cref="HighstateVerdict"/>).
/// </summary>
/// <param name="tolerateMissing">Whether expected minions that do not return are tolerated.</param>
internal sealed class DeployTally(bool tolerateMissing = false)
{
    private readonly SortedSet<string> expected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MinionSummary> reported = new(StringComparer.Ordinal);

    public IReadOnlyCollection<MinionSummary> Reported => reported.Values;

    public string? ServerError { get; private set; }

    public bool HighstateStarted { get; private set; }

    public bool HighstateFinished { get; private set; }

    /// <summary>Highstate started: <paramref name="minions"/> run, <paramref name="missing"/> expected but not answering.</summary>
    public void Started(IEnumerable<string> minions, IEnumerable<string> missing)
    {
        HighstateStarted = true;
        expected.UnionWith(minions);
        expected.UnionWith(missing);
    }

    /// <summary>Records a minion's return; false when it already reported (Salt can send a bogus second document).</summary>
    public bool Report(MinionSummary summary)
    {
        // {"failed": true} after a real return is never sent; a real return after one is kept.
        if (reported.TryGetValue(summary.Minion, out var first))
        {
            if (first.Outcome != MinionOutcome.NoReturn || summary.Outcome == MinionOutcome.NoReturn)
            {
                return false;
            }
        }

        reported[summary.Minion] = summary;
        return true;
    }

    /// <summary>Highstate over; <paramref name="missing"/> are minions the server says never returned.</summary>
    public void Finished(IEnumerable<string> missing)
    {
        HighstateFinished = true;
        expected.UnionWith(missing);
    }

    /// <summary>The v1 API's closing status (Spiro.Protocol.Events.DeployStatus).</summary>
    public string? FinishStatus { get; private set; }

    public void DeployFinished(string status) => FinishStatus = status;

    public void Failed(string message) => ServerError ??= message;

    /// <summary>The plan's id, once its <c>plan</c> event arrived (a <c>--plan</c> run).</summary>
    public string? PlanId { get; set; }

    /// <summary>Expected minions that never reported, or reported that they did not return, sorted.</summary>
    public IReadOnlyList<string> Unreported =>
        [.. expected.Where(m => !reported.TryGetValue(m, out var summary) || summary.Outcome == MinionOutcome.NoReturn)
            .Concat(reported.Values.Where(s => s.Outcome == MinionOutcome.NoReturn).Select(s => s.Minion))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Minions that reported and failed (not those that did not return), sorted.</summary>
    public IReadOnlyList<string> FailedMinions => Verdict.Failed;

    /// <summary>The shared exit rule over what was reported and who never did.</summary>
    public HighstateVerdict Verdict => HighstateVerdict.Of(reported.Values, Unreported, tolerateMissing);
}
