using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spiro.Core.Highstate;

/// <summary>
/// Splits salt's <c>--out=json</c> stdout into documents, line by line: one document per line
/// (<c>--out-indent=-1</c>, streaming) or one indented document over many lines (<c>--static</c>).
/// Lines that are not JSON (salt prints e.g. "minion m2 was already deleted from tracker" or batch
/// progress on stdout) are handed back as skipped rather than failing the run.
/// </summary>
internal sealed class SaltJsonSplitter(int maxDocumentChars = 256 * 1024 * 1024)
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 256 };
    private readonly StringBuilder _pending = new();

    /// <summary>Feeds one stdout line.</summary>
    public SaltJsonLine Push(string line)
    {
        if (_pending.Length == 0)
        {
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0)
            {
                return new SaltJsonLine.Pending();
            }

            // Salt's documents are always objects; a bare scalar or word is a message.
            if (trimmed[0] != '{')
            {
                return new SaltJsonLine.Skipped(line);
            }
        }

        _pending.Append(line).Append('\n');
        var text = _pending.ToString();
        switch (Scan(text))
        {
            case ScanState.Incomplete when text.Length <= maxDocumentChars:
                return new SaltJsonLine.Pending();
            case ScanState.Complete:
                _pending.Clear();
                return JsonNode.Parse(text, documentOptions: ParseOptions) is JsonObject document
                    ? new SaltJsonLine.Document(document)
                    : new SaltJsonLine.Skipped(text.TrimEnd('\n'));
            default:
                _pending.Clear();
                return new SaltJsonLine.Skipped(text.TrimEnd('\n'));
        }
    }

    /// <summary>At the end of output: whatever is left is an unfinished document, skipped.</summary>
    public SaltJsonLine? Finish()
    {
        if (_pending.Length == 0)
        {
            return null;
        }

        var text = _pending.ToString().TrimEnd('\n');
        _pending.Clear();
        return new SaltJsonLine.Skipped(text);
    }

    private static ScanState Scan(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = 256 }));
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                {
                    var rest = bytes.AsSpan((int)reader.BytesConsumed);
                    return rest.Trim(" \t\r\n"u8).IsEmpty ? ScanState.Complete : ScanState.Invalid;
                }
            }

            return ScanState.Incomplete;
        }
        catch (JsonException)
        {
            return ScanState.Invalid;
        }
    }

    private enum ScanState
    {
        Incomplete,
        Complete,
        Invalid,
    }
}
