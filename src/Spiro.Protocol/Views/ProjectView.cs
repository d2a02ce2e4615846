using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>A project and its live deployments: <c>GET /api/v1/projects</c>.</summary>
/// <param name="Name">The project.</param>
/// <param name="Deployments">Its deployments with a live release.</param>
public sealed record ProjectView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("deployments")] IReadOnlyList<string> Deployments);
