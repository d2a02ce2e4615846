using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spiro.Core.Highstate;

/// <summary>Readable text for a minion value that is not the expected mapping.</summary>
internal static class ReturnText
{
    public static string Of(JsonNode? node) => node switch
    {
        null => "(no data)",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray array => string.Join("\n", array.Select(Of)),
        _ => node.ToJsonString(),
    };
}
