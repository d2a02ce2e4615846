using Spiro.Protocol.Highstate;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Dashboard.Sessions;
using Spiro.Protocol.Events;

namespace Spiro.Dashboard.Queries;

/// <summary>Reads a deploy's page from its stored events (the same events the SSE stream sends).</summary>
internal sealed class DeployQuery(DeployLog log)
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    /// <summary>The deploy if the viewer may see its saltenv, else null (exactly as for an unknown id).</summary>
    public DeployRecord? Find(Viewer viewer, string deployId) =>
        log.Find(deployId) is { } deploy && SaltEnvName.TryParse(deploy.SaltEnv, out _) is { } saltEnv && viewer.Sees(saltEnv) ? deploy : null;

    /// <summary>The page's data, or null when not visible.</summary>
    public DeployTimeline? Timeline(Viewer viewer, string deployId)
    {
        if (Find(viewer, deployId) is not { } deploy)
        {
            return null;
        }

        var events = new List<DeployEventLine>();
        var minions = new List<MinionSummary>();
        foreach (var stored in log.EventsAfter(deploy.Id, 0))
        {
            var data = Parse(stored.Data);
            events.Add(new DeployEventLine(stored.Seq, stored.At, stored.Name, Text(data?["msg"]) ?? ""));
            if (stored.Name == DeployEventNames.HighstateUpdate && Text(data?["minion"]) is { } minion)
            {
                var summary = MinionSummarizer.Summarize(minion, data!["result"]);
                minions.RemoveAll(m => m.Minion == minion);
                minions.Add(summary);
            }
        }

        return new DeployTimeline(deploy, events, minions);
    }

    private static JsonObject? Parse(string data)
    {
        try
        {
            return JsonNode.Parse(data, NodeOptions, DocumentOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
