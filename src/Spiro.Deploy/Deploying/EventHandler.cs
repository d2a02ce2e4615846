using System.Text.Json;
using System.Text.Json.Nodes;
using Spiro.Deploy.Output;
using Spiro.Deploy.Results;
using Spiro.Deploy.Transport;
using Spiro.Protocol.Events;

namespace Spiro.Deploy.Deploying;

/// <summary>Feeds each received message to the tally and the output; knows which events end a deploy.</summary>
internal sealed class EventHandler(IDeployOutput output, DeployTally tally)
{
    /// <summary>Handles one message; true when it ends the deploy.</summary>
    public bool Handle(SseMessage message)
    {
        var data = Parse(message.Data);
        var received = new ReceivedEvent(message.Event, message.Id, data, message.Data);
        switch (message.Event)
        {
            case DeployEventNames.HighstateStart:
                tally.Started(Minions(data));
                break;
            case DeployEventNames.HighstateUpdate:
                var minion = data?["minion"] is JsonValue m && m.TryGetValue<string>(out var id) ? id : "(unknown minion)";
                var summary = MinionSummarizer.Summarize(minion, data?["result"]);
                var duplicate = !tally.Report(summary);
                output.Event(received, summary, duplicate);
                return false;
            case DeployEventNames.HighstateFinish:
                tally.Finished(MinionLists(data, "missing", "no_return", "unreachable"));
                break;
            case ApiEventNames.DeployFinish:
                tally.DeployFinished(data?["status"] is JsonValue status && status.TryGetValue<string>(out var text) ? text : "unknown");
                break;
            case DeployEventNames.Exception:
                tally.Failed(received.Message ?? message.Data);
                break;
            default:
                break;
        }

        output.Event(received, null, duplicate: false);

        // Only the v1 API sends deploy-finish; the compatible endpoint just closes the stream.
        return message.Event == ApiEventNames.DeployFinish;
    }

    private static JsonNode? Parse(string data)
    {
        try
        {
            return JsonNode.Parse(data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> Minions(JsonNode? data) => MinionLists(data, "minions");

    private static List<string> MinionLists(JsonNode? data, params string[] keys) =>
        [.. keys.SelectMany(key => data is JsonObject o && o[key] is JsonArray list
            ? list.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : v.ToJsonString())
            : [])];
}
