using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>A token without its secret: <c>spiro token list/inspect --json</c> and <c>GET /api/v1/tokens</c>.</summary>
/// <param name="Id">Token id (16 hex, not secret).</param>
/// <param name="Label">Free text given at issue.</param>
/// <param name="Projects">Projects it covers (empty for a root token).</param>
/// <param name="Deployments">Deployments it is limited to (empty: all of its projects').</param>
/// <param name="Admin">Whether it may roll back, promote and delete.</param>
/// <param name="Root">Whether it covers every project.</param>
/// <param name="Created">Issue time (<see cref="WireTime"/>).</param>
/// <param name="NotBefore">Start of validity, if later than issue.</param>
/// <param name="Expires">End of validity, null for never.</param>
/// <param name="Revoked">When revoked, if.</param>
/// <param name="LastUsed">Last accepted use by the server, if any.</param>
/// <param name="Status"><c>valid</c>, <c>expired</c>, <c>not-yet-valid</c> or <c>revoked</c>.</param>
public sealed record TokenView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("projects")] IReadOnlyList<string> Projects,
    [property: JsonPropertyName("deployments")] IReadOnlyList<string> Deployments,
    [property: JsonPropertyName("admin")] bool Admin,
    [property: JsonPropertyName("root")] bool Root,
    [property: JsonPropertyName("created")] string Created,
    [property: JsonPropertyName("not_before")] string? NotBefore,
    [property: JsonPropertyName("expires")] string? Expires,
    [property: JsonPropertyName("revoked")] string? Revoked,
    [property: JsonPropertyName("last_used")] string? LastUsed,
    [property: JsonPropertyName("status")] string Status);
