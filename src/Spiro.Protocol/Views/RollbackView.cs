using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>A rollback done: <c>spiro rollback --json</c> and <c>POST /api/v1/saltenvs/{p}/{d}/rollback</c>.</summary>
/// <param name="SaltEnv">The saltenv.</param>
/// <param name="Release">The release live now.</param>
/// <param name="Previous">The release live before, or null.</param>
/// <param name="Changed">False when <paramref name="Release"/> was already live.</param>
/// <param name="Warnings">Bookkeeping that failed after the pointer moved (docs/cli.md).</param>
public sealed record RollbackView(
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("release")] ReleaseView Release,
    [property: JsonPropertyName("previous")] string? Previous,
    [property: JsonPropertyName("changed")] bool Changed,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings);
