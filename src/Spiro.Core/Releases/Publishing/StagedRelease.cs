using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Publishing;

/// <summary>
/// A complete release tree waiting in <c>staging/&lt;p&gt;/&lt;d&gt;/&lt;id&gt;/tree</c> with its entries:
/// the seam between "get content" (bundle, promote) and "make it live".
/// </summary>
internal sealed record StagedRelease(
    string Id,
    SaltEnvName SaltEnv,
    DateTimeOffset Created,
    string WorkDirectory,
    IReadOnlyList<ManifestEntry> Entries,
    string? SourceCommit,
    TopKind Top,
    string? PromotedFrom)
{
    public string Tree => Path.Combine(WorkDirectory, "tree");

    /// <summary>
    /// <see cref="Entries"/> are in the manifest's normalised form already (the bundle reader's,
    /// kept so by <see cref="TopFileStep"/>): the materialiser does not normalise them again.
    /// </summary>
    public bool EntriesNormalised { get; init; }

    /// <summary>The top file uses Jinja: the render gate must pass before the flip.</summary>
    public bool RenderCheck { get; init; }

    /// <summary>
    /// Staged files that already are their content's object (linked by the bundle reader while the
    /// caller held the objects lock, so no collection can have removed that object since): adoption skips them.
    /// </summary>
    public IReadOnlySet<string> ObjectPaths { get; init; } = new HashSet<string>();
}
