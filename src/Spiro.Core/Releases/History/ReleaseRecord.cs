using Spiro.Core.Names;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.History;

/// <summary>A row of the <c>releases</c> table.</summary>
internal sealed record ReleaseRecord(
    long Seq,
    string Id,
    SaltEnvName SaltEnv,
    DateTimeOffset Created,
    long Size,
    int FileCount,
    string? SourceCommit,
    string PublishedBy,
    string How,
    TopKind Top,
    string? PromotedFrom)
{
    public static ReleaseRecord From(ReleaseManifest manifest) => new(
        0,
        manifest.Release,
        manifest.SaltEnv,
        manifest.Created,
        manifest.Size,
        manifest.FileCount,
        manifest.SourceCommit,
        manifest.PublishedBy,
        manifest.How,
        manifest.Top,
        manifest.PromotedFrom);

    public ReleaseInfo ToInfo(bool live) => new(Id, SaltEnv, Created, Size, FileCount, SourceCommit, PublishedBy, How, live);
}
