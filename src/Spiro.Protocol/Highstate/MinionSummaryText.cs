namespace Spiro.Protocol.Highstate;

/// <summary>One line for a person per minion, the same in the server's messages and the admin CLI.</summary>
public static class MinionSummaryText
{
    /// <summary><c>m1: 1 ok, 1 changed, 1 failed (must_fail)</c>, <c>m2: did not return</c>, ...</summary>
    public static string Line(MinionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Outcome switch
        {
            MinionOutcome.Succeeded or MinionOutcome.Failed =>
                $"{summary.Minion}: {summary.Ok} ok, {summary.Changed} changed, "
                + (summary.WouldChange > 0 ? $"{summary.WouldChange} would change, " : "")
                + $"{summary.Failed} failed"
                + (summary.FailingStates.Any() ? $" ({string.Join(", ", summary.FailingStates.Select(state => state.Id))})" : ""),
            MinionOutcome.RenderError => $"{summary.Minion}: render error: {FirstLine(summary.Errors)}",
            MinionOutcome.NoReturn => $"{summary.Minion}: did not return",
            _ => $"{summary.Minion}: error: {FirstLine(summary.Errors)}",
        };
    }

    private static string FirstLine(IReadOnlyList<string> errors) => errors.Count == 0 ? "" : errors[0].Split('\n')[0];
}
