using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Spiro.Protocol.Highstate;

namespace Spiro.Protocol.Events;

/// <summary>Source-generated (AOT-safe) JSON of every event payload.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessageEvent))]
[JsonSerializable(typeof(DeployStartEvent))]
[JsonSerializable(typeof(DeployBundleEvent))]
[JsonSerializable(typeof(HighstateStartEvent))]
[JsonSerializable(typeof(HighstateUpdateEvent))]
[JsonSerializable(typeof(HighstateFinishEvent))]
[JsonSerializable(typeof(DeployFinishEvent))]
[JsonSerializable(typeof(MinionReport))]
[JsonSerializable(typeof(IReadOnlyList<FailingStateReport>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Plans.PlanView))]
[JsonSerializable(typeof(Plans.PlanMinionsEvent))]
[JsonSerializable(typeof(Plans.ReleaseDiff))]
public sealed partial class DeployEventJson : JsonSerializerContext
{
    /// <summary>The payload as a JSON object (to store or send as one line).</summary>
    public static JsonObject ToObject<T>(T payload)
        where T : class
    {
        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!;
        return JsonSerializer.SerializeToNode(payload, info)!.AsObject();
    }

    /// <summary>Reads a payload; null when <paramref name="data"/> is not that shape.</summary>
    public static T? Read<T>(JsonNode? data)
        where T : class
    {
        if (data is not JsonObject)
        {
            return null;
        }

        try
        {
            var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!;
            return data.Deserialize(info);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
