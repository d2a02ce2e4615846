using System.Text.Json.Nodes;

namespace Spiro.Server.Tests.Support;

/// <summary>One parsed SSE message.</summary>
internal sealed record SseEvent(string Name, string Data, long? Id)
{
    public JsonObject Json => JsonNode.Parse(Data)!.AsObject();

    /// <summary>Parses a whole <c>text/event-stream</c> body; comment lines are counted separately.</summary>
    public static List<SseEvent> ParseAll(string text, out int comments)
    {
        comments = 0;
        var events = new List<SseEvent>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            // A keep-alive comment has no blank line of its own, so it can open the block of the next
            // event: drop comment lines, not whole blocks (the block kept the event's id, the stream lost it).
            // Parse skips comment lines itself.
            var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var commentLines = lines.Count(line => line.StartsWith(':'));
            comments += commentLines;
            if (commentLines < lines.Length)
            {
                events.Add(Parse(block));
            }
        }

        return events;
    }

    public static SseEvent Parse(string block)
    {
        string name = "message", data = "";
        long? id = null;
        foreach (var line in block.Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line["id: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return new SseEvent(name, data, id);
    }
}
