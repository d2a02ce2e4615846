using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>A saltenv deleted: <c>spiro delete --json</c> and <c>DELETE /api/v1/saltenvs/{p}/{d}</c>.</summary>
/// <param name="SaltEnv">The saltenv.</param>
/// <param name="Previous">The release that was live, or null.</param>
/// <param name="RemovedReleases">The releases actually removed.</param>
/// <param name="Warnings">Bookkeeping or removals that failed after Salt stopped serving it.</param>
public sealed record DeleteView(
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("previous")] string? Previous,
    [property: JsonPropertyName("removed_releases")] IReadOnlyList<string> RemovedReleases,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings);
