using System.Text.Json.Serialization;

namespace Spiro.Protocol.Deltas;

/// <summary>
/// One tar entry of a bundle as the negotiated upload describes it, in the order the bundle's
/// tar would hold it: the server rebuilds exactly that tar from these entries, the contents it
/// already has and the contents the client uploads.
/// </summary>
/// <param name="Path">The tar entry name (as the full bundle would carry it).</param>
/// <param name="Type">One of <see cref="DeltaEntryTypes"/>.</param>
/// <param name="Mode">Permission bits (decimal), as in the tar header.</param>
/// <param name="Size">Content bytes for a file, else 0.</param>
/// <param name="Sha256">Lower-case hex sha256 of a file's content, else null.</param>
/// <param name="Link">Target of a symlink or hardlink, else null.</param>
public sealed record DeltaEntry(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("mode")] int Mode,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("link")] string? Link);
