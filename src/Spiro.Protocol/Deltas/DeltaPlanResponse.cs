using System.Text.Json.Serialization;

namespace Spiro.Protocol.Deltas;

/// <summary>
/// The server's answer to a plan: which files' contents it lacks for this project. The client then
/// posts a tar of exactly those files (entry names and order as in the plan) to
/// <c>POST /api/v1/deploys?project=P&amp;deployment=D&amp;plan=ID</c>.
/// </summary>
/// <param name="Plan">Id naming the plan in the upload; it expires (see docs/api.md).</param>
/// <param name="Missing">Indexes into the plan's entries of the files to upload, ascending.</param>
/// <param name="MissingBytes">Content bytes of those files.</param>
/// <param name="KnownBytes">Content bytes the client need not send.</param>
public sealed record DeltaPlanResponse(
    [property: JsonPropertyName("plan")] string Plan,
    [property: JsonPropertyName("missing")] IReadOnlyList<int> Missing,
    [property: JsonPropertyName("missing_bytes")] long MissingBytes,
    [property: JsonPropertyName("known_bytes")] long KnownBytes);
