using Spiro.Core.Bundles;
using Spiro.Core.Names;

namespace Spiro.Core.Releases.Manifests;

/// <summary>
/// <c>manifests/&lt;id&gt;.json</c> (docs/storage.md): the entries the Salt adapter serves, plus the
/// provenance the store needs to rebuild its history after a crash.
/// </summary>
internal sealed record ReleaseManifest(
    string Release,
    SaltEnvName SaltEnv,
    DateTimeOffset Created,
    string How,
    string PublishedBy,
    string? SourceCommit,
    TopKind Top,
    string? PromotedFrom,
    IReadOnlyList<ManifestEntry> Entries)
{
    public const int Format = 1;

    public long Size => Entries.Where(e => e.Kind == EntryKind.File).Sum(e => e.Size);

    public int FileCount => Entries.Count(e => e.Kind == EntryKind.File);
}
