using System.Text.Json;
using System.Text.Json.Nodes;
using Spiro.Deploy.Output;
using Spiro.Deploy.Results;
using Spiro.Deploy.Transport;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

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
                var start = DeployEventJson.Read<HighstateStartEvent>(data);
                tally.Started(start?.Minions ?? [], start?.Missing ?? []);
                break;
            case DeployEventNames.HighstateUpdate:
                var minion = data?["minion"] is JsonValue m && m.TryGetValue<string>(out var id) ? id : "(unknown minion)";
                var summary = MinionSummarizer.Summarize(minion, data?["result"]);
                var duplicate = !tally.Report(summary);
                output.Event(received, summary, duplicate);
                return false;
            case DeployEventNames.HighstateFinish:
                tally.Finished(DeployEventJson.Read<HighstateFinishEvent>(data)?.Missing ?? []);
                break;
            case Protocol.Plans.PlanEventNames.Plan:
                tally.PlanId = DeployEventJson.Read<Protocol.Plans.PlanView>(data)?.PlanId;
                break;
            case ApiEventNames.DeployFinish:
                tally.DeployFinished(DeployEventJson.Read<DeployFinishEvent>(data)?.Status ?? "unknown");
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

}
