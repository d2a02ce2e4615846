using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>A kept release: <c>spiro releases --json</c> and <c>GET /api/v1/saltenvs/{p}/{d}/releases</c> (docs/cli.md, docs/api.md).</summary>
/// <param name="Id">Release id (docs/storage.md).</param>
/// <param name="SaltEnv">The saltenv it was published to.</param>
/// <param name="Created">When it was made (<see cref="WireTime"/>).</param>
/// <param name="Size">Sum of file sizes in bytes.</param>
/// <param name="FileCount">Number of files.</param>
/// <param name="SourceCommit">The bundle's <c>.gitcommit</c>, if any.</param>
/// <param name="PublishedBy">Actor: token label or CLI user.</param>
/// <param name="How"><c>deploy</c>, <c>publish</c>, <c>promote</c> or <c>apply</c>.</param>
/// <param name="Live">Whether the saltenv serves it now.</param>
/// <param name="Highstate">The highstate runs kept with it, oldest first.</param>
public sealed record ReleaseView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("created")] string Created,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("file_count")] int FileCount,
    [property: JsonPropertyName("source_commit")] string? SourceCommit,
    [property: JsonPropertyName("published_by")] string PublishedBy,
    [property: JsonPropertyName("how")] string How,
    [property: JsonPropertyName("live")] bool Live,
    [property: JsonPropertyName("highstate")] IReadOnlyList<HighstateRunView> Highstate);
