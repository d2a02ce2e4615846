using System.Text.Json;
using System.Text.Json.Nodes;
using Spiro.Protocol.Events;

namespace Spiro.Protocol.Highstate;

/// <summary>The JSON of highstate summaries wherever they appear (events, stored rows, CLI <c>--json</c>).</summary>
public static class HighstateJson
{
    /// <summary><c>{minion: report, ...}</c> in the given order.</summary>
    public static JsonObject Minions(IEnumerable<MinionSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var minions = new JsonObject();
        foreach (var summary in summaries)
        {
            minions[summary.Minion] = JsonSerializer.SerializeToNode(MinionReport.From(summary), DeployEventJson.Default.MinionReport);
        }

        return minions;
    }

    /// <summary><c>[{id, name, function, sls, comment}, ...]</c> of the failing states.</summary>
    public static string FailingStates(MinionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return JsonSerializer.Serialize(MinionReport.From(summary).Failing, DeployEventJson.Default.IReadOnlyListFailingStateReport);
    }

    /// <summary>Reads what <see cref="FailingStates"/> wrote; an unreadable value is no states.</summary>
    public static IReadOnlyList<StateResult> ReadFailingStates(string json)
    {
        try
        {
            return [.. (JsonSerializer.Deserialize(json, DeployEventJson.Default.IReadOnlyListFailingStateReport) ?? []).Select(state => state.ToState())];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
