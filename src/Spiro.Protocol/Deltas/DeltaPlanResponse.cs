using System.Text.Json.Serialization;

namespace Spiro.Protocol.Deltas;

/// <summary>
/// The server's answer to a delta plan (<c>POST /api/v1/deploys/delta</c>): which files' contents it
/// lacks for this project. The client then posts a tar of exactly those files (entry names and
/// order as in the delta plan) to <c>POST /api/v1/deploys?project=P&amp;deployment=D&amp;delta=ID</c>
/// (or <c>/api/v1/plans?...&amp;delta=ID</c> for a plan's candidate).
/// </summary>
/// <param name="Delta">Id naming the delta plan in the upload; it expires (see docs/api.md).</param>
/// <param name="Missing">Indexes into the plan's entries of the files to upload, ascending.</param>
/// <param name="MissingBytes">Content bytes of those files.</param>
/// <param name="KnownBytes">Content bytes the client need not send.</param>
public sealed record DeltaPlanResponse(
    [property: JsonPropertyName("delta")] string Delta,
    [property: JsonPropertyName("missing")] IReadOnlyList<int> Missing,
    [property: JsonPropertyName("missing_bytes")] long MissingBytes,
    [property: JsonPropertyName("known_bytes")] long KnownBytes);
