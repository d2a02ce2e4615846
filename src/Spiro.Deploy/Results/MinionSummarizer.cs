using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spiro.Deploy.Results;

/// <summary>
/// Turns one minion's highstate value, exactly as Salt gives it, into a <see cref="MinionSummary"/>.
/// Pure: tested with the recorded outputs in tests/salt-samples.
/// </summary>
internal static class MinionSummarizer
{
    private const string KeySeparator = "_|-";

    public static MinionSummary Summarize(string minion, JsonNode? value)
    {
        value = Unwrap(value);
        switch (value)
        {
            case JsonObject states when IsStateDict(states):
                return new MinionSummary(minion, MinionResultKind.States, ReadStates(states), []);
            case JsonArray errors when errors.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String):
                return new MinionSummary(minion, MinionResultKind.Errors, [], [.. errors.Select(e => e!.GetValue<string>())]);
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                return new MinionSummary(minion, MinionResultKind.Message, [], [text.GetValue<string>()]);
            case JsonObject failed when failed["failed"] is JsonValue f && f.GetValueKind() == JsonValueKind.True:
                return new MinionSummary(minion, MinionResultKind.Message, [], ["(no results)"]);
            default:
                return new MinionSummary(minion, MinionResultKind.Unknown, [], [value?.ToJsonString() ?? "null"]);
        }
    }

    /// <summary>
    /// Salt's job return event wraps the value as <c>{ret, retcode, ...}</c> (the original server sent
    /// that shape): look inside it. The CLI's per-minion value is used as is.
    /// </summary>
    private static JsonNode? Unwrap(JsonNode? value) =>
        value is JsonObject o && !IsStateDict(o) && o.ContainsKey("ret") && (o.ContainsKey("retcode") || o.ContainsKey("fun") || o.ContainsKey("jid"))
            ? o["ret"]
            : value;

    private static bool IsStateDict(JsonObject o) =>
        o.Count == 0 || o.Any(p => p.Key.Contains(KeySeparator, StringComparison.Ordinal) && p.Value is JsonObject);

    private static List<StateOutcome> ReadStates(JsonObject states)
    {
        var list = new List<StateOutcome>(states.Count);
        foreach (var (key, node) in states)
        {
            if (node is not JsonObject state)
            {
                continue;
            }

            var parts = key.Split(KeySeparator);
            var module = parts.Length > 0 ? parts[0] : string.Empty;
            var keyId = parts.Length > 1 ? parts[1] : key;
            var keyName = parts.Length > 2 ? parts[2] : keyId;
            var function = parts.Length > 3 ? $"{module}.{parts[3]}" : module;
            list.Add(new StateOutcome(
                Id: Text(state["__id__"]) ?? keyId,
                Name: Text(state["name"]) ?? keyName,
                Function: function,
                Result: Bool(state["result"]),
                Changed: state["changes"] is JsonObject { Count: > 0 } or JsonArray { Count: > 0 },
                Comment: CommentText(state["comment"]),
                DurationMs: Number(state["duration"]),
                RunNumber: (int)Number(state["__run_num__"], int.MaxValue)));
        }

        list.Sort((a, b) => a.RunNumber.CompareTo(b.RunNumber));
        return list;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    /// <summary>Salt comments are strings, sometimes lists of strings.</summary>
    private static string CommentText(JsonNode? node) => node switch
    {
        JsonArray lines => string.Join("\n", lines.Select(Text)),
        _ => Text(node) ?? string.Empty,
    };

    private static bool? Bool(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => null,
    };

    private static double Number(JsonNode? node, double fallback = 0) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String &&
            double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => fallback,
    };
}
