using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spiro.Protocol.Highstate;

/// <summary>
/// Turns one minion's highstate value, exactly as Salt gave it, into the one <see cref="MinionSummary"/>.
/// Every shape real Salt 3006 produces is covered (tests/salt-samples/README.md): the <c>salt</c>
/// CLI's per-minion value, batch mode's <c>{}</c> for a minion that stopped answering, and
/// <c>LocalClient.cmd_iter</c>'s <c>{jid, out, ret, retcode}</c> or <c>{"failed": true}</c> (what the
/// compatible endpoint sends). Pure.
/// </summary>
public static class MinionSummarizer
{
    private const string KeySeparator = "_|-";
    private const string NoReturnPrefix = "Minion did not return";

    /// <summary>Summarises <paramref name="value"/> for <paramref name="minion"/>.</summary>
    public static MinionSummary Summarize(string minion, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(minion);
        int? retcode = null;
        if (CmdIterResult.IsFailed(value))
        {
            return MinionSummary.NeverReturned(minion);
        }

        if (CmdIterResult.TryUnwrap(value, out var ret, out var saltRetcode))
        {
            value = ret;
            retcode = saltRetcode;
        }

        return value switch
        {
            // Batch mode prints {} for a minion that stopped answering (salt/cli/batch.py); a highstate
            // that ran always returns at least one state (even "no top file matches" is one).
            JsonObject { Count: 0 } => MinionSummary.NeverReturned(minion, "the minion returned nothing (it stopped answering)"),
            JsonObject states => FromStates(minion, states, retcode ?? SaltRetcode.Of(states)),
            JsonArray errors => new(minion, MinionOutcome.RenderError, 0, 0, 0, 0, [], [.. errors.Select(Text)], 0, retcode ?? SaltRetcode.CompilerError),
            JsonValue text when text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().StartsWith(NoReturnPrefix, StringComparison.Ordinal) =>
                MinionSummary.NeverReturned(minion, text.GetValue<string>()),
            _ => new(minion, MinionOutcome.Error, 0, 0, 0, 0, [], [Text(value)], 0, retcode ?? SaltRetcode.CompilerError),
        };
    }

    private static MinionSummary FromStates(string minion, JsonObject states, int retcode)
    {
        var list = new List<StateResult>(states.Count);
        foreach (var (key, node) in states)
        {
            if (node is JsonObject state)
            {
                list.Add(Read(key, state));
            }
        }

        list.Sort((a, b) => a.RunNumber.CompareTo(b.RunNumber));
        KeepChangesWithinBudget(list);
        var failed = list.Count(state => state.Result == false);
        return new MinionSummary(
            minion,
            failed > 0 || retcode == SaltRetcode.StateFailure ? MinionOutcome.Failed : MinionOutcome.Succeeded,
            Ok: list.Count(state => state.Result == true && !state.Changed),
            Changed: list.Count(state => state.Result == true && state.Changed),
            WouldChange: list.Count(state => state.Result is null),
            Failed: failed,
            States: list,
            Errors: [],
            DurationMs: Math.Round(list.Sum(state => state.DurationMs), 3),
            Retcode: retcode);
    }

    // A state key is '<module>_|-<id>_|-<name>_|-<function>'; __id__ is missing on e.g. the no-top-match state.
    private static StateResult Read(string key, JsonObject state)
    {
        var parts = key.Split(KeySeparator);
        var module = parts[0];
        var keyId = parts.Length > 1 ? parts[1] : key;
        var keyName = parts.Length > 2 ? parts[2] : keyId;
        var result = state["result"]?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => (bool?)null,
        };
        var changed = HasChanges(state["changes"]);
        return new StateResult(
            Id: String(state["__id__"]) ?? keyId,
            Name: String(state["name"]) ?? keyName,
            Function: parts.Length > 3 ? $"{module}.{parts[3]}" : module,
            Sls: String(state["__sls__"]) ?? "",
            Result: result,
            Changed: changed,
            Comment: state["comment"] is null ? "" : Text(state["comment"]),
            DurationMs: Number(state["duration"]) ?? 0,
            RunNumber: Number(state["__run_num__"]) is { } run ? (int)Math.Clamp(run, int.MinValue, int.MaxValue) : int.MaxValue,
            Changes: result == false && changed ? KeptChanges(state["changes"]!) : null);
    }

    // Thousands of failing states must not make one minion's stored result huge: past the budget,
    // later failing states (in run order) keep no changes and say so (changes_not_kept).
    private static void KeepChangesWithinBudget(List<StateResult> states)
    {
        var used = 0;
        for (var i = 0; i < states.Count; i++)
        {
            if (states[i].Changes is not { } changes)
            {
                continue;
            }

            used += System.Text.Encoding.UTF8.GetByteCount(changes);
            if (used > StateResult.MaxKeptChangesBytesPerMinion)
            {
                states[i] = states[i] with { Changes = null };
            }
        }
    }

    private static string? KeptChanges(JsonNode changes)
    {
        var json = changes.ToJsonString();
        return System.Text.Encoding.UTF8.GetByteCount(json) <= StateResult.MaxKeptChangesBytes ? json : null;
    }

    private static bool HasChanges(JsonNode? changes) => changes switch
    {
        null => false,
        JsonObject map => map.Count > 0,
        JsonArray list => list.Count > 0,
        JsonValue value => value.GetValueKind() is not (JsonValueKind.Null or JsonValueKind.False) && value.ToJsonString() is not ("\"\"" or "0"),
        _ => true,
    };

    private static string? String(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>Readable text of any value: strings as they are, lists line by line, the rest as JSON.</summary>
    private static string Text(JsonNode? node) => node switch
    {
        null => "(no data)",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray lines => string.Join("\n", lines.Select(Text)),
        _ => node.ToJsonString(),
    };

    private static double? Number(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue value when value.GetValueKind() == JsonValueKind.String &&
            double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
