using System.Text.Json.Nodes;

namespace Spiro.Core.Highstate;

/// <summary>The JSON shapes of highstate summaries in events and stored rows.</summary>
public static class HighstateJson
{
    /// <summary><c>[{id, name, sls, comment}, ...]</c>.</summary>
    public static JsonArray FailingStates(IEnumerable<FailingState> states) =>
        [.. states.Select(state => (JsonNode)new JsonObject
        {
            ["id"] = state.Id,
            ["name"] = state.Name,
            ["sls"] = state.Sls,
            ["comment"] = state.Comment,
        })];

    /// <summary><c>{outcome, ok, changed, failed, duration_ms, failing: [...], errors: [...]}</c>.</summary>
    public static JsonObject Summary(MinionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new JsonObject
        {
            ["outcome"] = summary.Outcome.ToText(),
            ["ok"] = summary.Ok,
            ["changed"] = summary.Changed,
            ["failed"] = summary.Failed,
            ["duration_ms"] = summary.DurationMs,
            ["failing"] = FailingStates(summary.FailingStates),
            ["errors"] = new JsonArray([.. summary.Errors.Select(error => JsonValue.Create(error))]),
        };
    }

    /// <summary><c>{minion: summary, ...}</c> in the given order.</summary>
    public static JsonObject Minions(IEnumerable<MinionSummary> summaries)
    {
        var minions = new JsonObject();
        foreach (var summary in summaries)
        {
            minions[summary.Minion] = Summary(summary);
        }

        return minions;
    }

    /// <summary>One line for a human: <c>m1: 1 ok, 1 changed, 1 failed (must_fail)</c>.</summary>
    public static string Line(MinionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Outcome switch
        {
            MinionOutcome.Succeeded or MinionOutcome.Failed =>
                $"{summary.Minion}: {summary.Ok} ok, {summary.Changed} changed, {summary.Failed} failed"
                + (summary.FailingStates.Count > 0 ? $" ({string.Join(", ", summary.FailingStates.Select(state => state.Id))})" : ""),
            MinionOutcome.RenderError => $"{summary.Minion}: render error: {FirstLine(summary.Errors)}",
            MinionOutcome.NoReturn => $"{summary.Minion}: did not return",
            _ => $"{summary.Minion}: error: {FirstLine(summary.Errors)}",
        };
    }

    private static string FirstLine(IReadOnlyList<string> errors) =>
        errors.Count == 0 ? "" : errors[0].Split('\n')[0];
}
