using System.Text.Json.Nodes;

namespace Spiro.Core.Highstate;

/// <summary>What <see cref="SaltJsonSplitter"/> made of the output so far.</summary>
internal abstract record SaltJsonLine
{
    private SaltJsonLine()
    {
    }

    /// <summary>A complete top-level JSON object: <c>{minion: value, ...}</c>.</summary>
    public sealed record Document(JsonObject Value) : SaltJsonLine;

    /// <summary>Text that is not part of a JSON document (salt's messages on stdout); logged and skipped.</summary>
    public sealed record Skipped(string Text) : SaltJsonLine;

    /// <summary>Part of a multi-line document (<c>--static</c> or indented output); more lines needed.</summary>
    public sealed record Pending : SaltJsonLine;
}
