using Spiro.Core.Names;

namespace Spiro.Core.Releases;

/// <summary>One release in a saltenv's history.</summary>
/// <param name="Id">Release id (docs/storage.md).</param>
/// <param name="SaltEnv">The saltenv it was published to.</param>
/// <param name="Created">When it was made.</param>
/// <param name="Size">Sum of file sizes.</param>
/// <param name="FileCount">Number of files.</param>
/// <param name="SourceCommit">Commit hash from <c>.gitcommit</c>, if any.</param>
/// <param name="PublishedBy">Actor: token label or CLI user.</param>
/// <param name="How"><c>deploy</c>, <c>publish</c>, <c>rollback</c> or <c>promote</c>.</param>
/// <param name="Live">Whether the saltenv currently points at it.</param>
public sealed record ReleaseInfo(
    string Id,
    SaltEnvName SaltEnv,
    DateTimeOffset Created,
    long Size,
    int FileCount,
    string? SourceCommit,
    string PublishedBy,
    string How,
    bool Live);
