using System.Text.Json.Nodes;

namespace Spiro.Deploy.Output;

/// <summary>A deploy event as the client understood it.</summary>
/// <param name="Name">Event name (Spiro.Protocol.Events.DeployEventNames).</param>
/// <param name="Id">SSE id (v1 API), or null.</param>
/// <param name="Data">The parsed JSON data (null when it was not JSON).</param>
/// <param name="RawData">The data as sent.</param>
internal sealed record ReceivedEvent(string Name, string? Id, JsonNode? Data, string RawData)
{
    /// <summary>The event's <c>msg</c>, or null.</summary>
    public string? Message => Data is JsonObject o && o["msg"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
