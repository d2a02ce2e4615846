using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>A saltenv with its live release: <c>spiro deployments --json</c> and <c>GET /api/v1/saltenvs</c>.</summary>
/// <param name="SaltEnv"><c>project/deployment</c>.</param>
/// <param name="Project">The project.</param>
/// <param name="Deployment">The deployment.</param>
/// <param name="LiveRelease">The release Salt serves.</param>
/// <param name="PublishedAt">When that release went live, if recorded (<see cref="WireTime"/>).</param>
/// <param name="PublishedBy">Who made it live, if recorded.</param>
public sealed record SaltEnvView(
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("deployment")] string Deployment,
    [property: JsonPropertyName("live_release")] string LiveRelease,
    [property: JsonPropertyName("published_at")] string? PublishedAt,
    [property: JsonPropertyName("published_by")] string? PublishedBy);
