using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>A promotion done: <c>spiro promote --json</c> and <c>POST /api/v1/saltenvs/{p}/{d}/promote</c>.</summary>
/// <param name="SaltEnv">The target saltenv.</param>
/// <param name="Release">The new release of the target, live now.</param>
/// <param name="SourceSaltEnv">The saltenv promoted from.</param>
/// <param name="SourceRelease">The release of the source it copies.</param>
/// <param name="Warnings">Bookkeeping that failed after the release went live.</param>
public sealed record PromoteView(
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("release")] ReleaseView Release,
    [property: JsonPropertyName("source_saltenv")] string SourceSaltEnv,
    [property: JsonPropertyName("source_release")] string SourceRelease,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings);
