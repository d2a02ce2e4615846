using System.Runtime.CompilerServices;
using System.Text;

namespace Spiro.Deploy.Transport;

/// <summary>
/// Reads <c>text/event-stream</c> as the HTML spec says: fields until a blank line, comment lines
/// (starting with a colon) ignored, one optional space after the colon dropped.
/// </summary>
internal static class SseReader
{
    public static async IAsyncEnumerable<SseMessage> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        string? eventName = null;
        string? id = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new SseMessage(eventName ?? "message", data.ToString(), id);
                }

                eventName = null;
                id = null;
                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    eventName = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    id = value;
                    break;
                default:
                    break;
            }
        }
    }
}
