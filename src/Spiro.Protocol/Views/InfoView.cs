using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary><c>GET /api/v1/info</c>: what a client asks first (no token) to learn the server speaks the v1 API.</summary>
/// <param name="Name">Always <c>spirofs</c>.</param>
/// <param name="Version">The server's version.</param>
/// <param name="Api">The API's major version (1).</param>
/// <param name="Features">What this server does beyond the first v1 release (docs/api.md).</param>
public sealed record InfoView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("api")] int Api,
    [property: JsonPropertyName("features")] IReadOnlyList<string> Features);
