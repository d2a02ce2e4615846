using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spiro.Core.Highstate;

/// <summary>Counts one minion's highstate return. Pure.</summary>
public static class MinionSummarizer
{
    private const string NoReturnPrefix = "Minion did not return";

    /// <summary>
    /// A dict of states is counted (true = ok or changed, null = would change, false = failed); a
    /// list of strings is a render error; a string is "did not return" or an exception.
    /// </summary>
    public static MinionSummary Summarize(string minion, JsonNode? value) => value switch
    {
        // Salt's batch mode prints {} for a minion that stopped answering mid-run; a highstate that
        // ran always returns at least one state (even "no top file matches" is one).
        JsonObject { Count: 0 } => new(minion, MinionOutcome.NoReturn, 0, 0, 0, [], ["the minion returned nothing"], 0),
        JsonObject states => FromStates(minion, states),
        JsonArray errors => new(minion, MinionOutcome.RenderError, 0, 0, 0, [], [.. errors.Select(ReturnText.Of)], 0),
        JsonValue text when text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().StartsWith(NoReturnPrefix, StringComparison.Ordinal) =>
            new(minion, MinionOutcome.NoReturn, 0, 0, 0, [], [text.GetValue<string>()], 0),
        _ => new(minion, MinionOutcome.Error, 0, 0, 0, [], [ReturnText.Of(value)], 0),
    };

    private static MinionSummary FromStates(string minion, JsonObject states)
    {
        int ok = 0, changed = 0;
        double duration = 0;
        var failing = new List<(double Order, FailingState State)>();
        foreach (var (key, node) in states)
        {
            // Batch mode adds "retcode": N beside the states; only objects are states.
            if (node is not JsonObject state)
            {
                continue;
            }

            duration += Number(state["duration"]) ?? 0;
            switch (Result(state))
            {
                case true when HasChanges(state):
                case null:
                    changed++;
                    break;
                case true:
                    ok++;
                    break;
                case false:
                    failing.Add((Number(state["__run_num__"]) ?? double.MaxValue, Failing(key, state)));
                    break;
            }
        }

        var failingStates = failing.OrderBy(item => item.Order).Select(item => item.State).ToList();
        var outcome = failingStates.Count > 0 ? MinionOutcome.Failed : MinionOutcome.Succeeded;
        return new MinionSummary(minion, outcome, ok, changed, failingStates.Count, failingStates, [], Math.Round(duration, 3));
    }

    /// <summary>true, false, or null for test=True's "would change"; a missing or odd result counts as false.</summary>
    private static bool? Result(JsonObject state)
    {
        if (!state.TryGetPropertyValue("result", out var result))
        {
            return false;
        }

        return result?.GetValueKind() switch
        {
            null or JsonValueKind.Null => null,
            JsonValueKind.True => true,
            _ => false,
        };
    }

    private static bool HasChanges(JsonObject state) => state["changes"] switch
    {
        null => false,
        JsonObject changes => changes.Count > 0,
        JsonArray changes => changes.Count > 0,
        JsonValue value => value.GetValueKind() is not (JsonValueKind.Null or JsonValueKind.False) && value.ToJsonString() is not ("\"\"" or "0"),
        _ => true,
    };

    // A state key is '<module>_|-<id>_|-<name>_|-<function>'; __id__ is missing on e.g. the no-top-match state.
    private static FailingState Failing(string key, JsonObject state)
    {
        var parts = key.Split("_|-");
        return new FailingState(
            Text(state["__id__"]) ?? (parts.Length > 1 ? parts[1] : key),
            Text(state["name"]) ?? (parts.Length > 2 ? parts[2] : ""),
            Text(state["__sls__"]) ?? "",
            Text(state["comment"]) ?? "");
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray lines => string.Join("\n", lines.Select(ReturnText.Of)),
        _ => node.ToJsonString(),
    };

    private static double? Number(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)
        : null;
}
