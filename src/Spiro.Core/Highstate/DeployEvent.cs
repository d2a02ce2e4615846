using System.Text.Json.Nodes;
using Spiro.Protocol.Events;

namespace Spiro.Core.Highstate;

/// <summary>One event of a deploy: an SSE event name and its one-line JSON data (always holding <c>msg</c>).</summary>
/// <param name="Name">Event name, one of <c>Spiro.Protocol.Events.DeployEventNames</c>.</param>
/// <param name="Data">JSON object with at least a <c>msg</c> string: one of the payload records in Spiro.Protocol.Events.</param>
public sealed record DeployEvent(string Name, JsonObject Data)
{
    /// <summary>An event whose data is just <c>{"msg": message}</c>.</summary>
    public static DeployEvent Message(string name, string message) => Of(name, new MessageEvent(message));

    /// <summary>An event whose data is <paramref name="payload"/> (a record of Spiro.Protocol.Events).</summary>
    public static DeployEvent Of<T>(string name, T payload)
        where T : class => new(name, DeployEventJson.ToObject(payload));
}
