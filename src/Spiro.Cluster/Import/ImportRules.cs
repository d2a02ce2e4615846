using Spiro.Core.Releases.Sharing;

namespace Spiro.Cluster.Import;

/// <summary>A release row of <c>spiro.db</c> as the import rules see it.</summary>
internal sealed record SourceRelease(string Id, string SaltEnv, bool Kept);

/// <summary>
/// Whether a single master's store is whole enough to move into a cluster, and which manifests the
/// cluster gets (docs/cluster.md "Moving a single master into a cluster"). Pure: decided from the
/// rows and the data directory's symlinks and manifests.
/// </summary>
internal static class ImportRules
{
    /// <summary>
    /// The manifests the cluster must hold (every kept release's, and a pending plan's candidate when
    /// its manifest is there), or the first reason the store cannot be imported as it is.
    /// </summary>
    public static (IReadOnlyList<SnapshotManifest> Shared, string? Refusal) Decide(
        IReadOnlyList<SourceRelease> releases, IReadOnlyCollection<string> pendingPlans, IReadOnlyList<LivePointer> live, IReadOnlyList<SnapshotManifest> manifests)
    {
        var kept = releases.Where(r => r.Kept).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var byId = manifests.ToDictionary(m => m.ReleaseId, StringComparer.Ordinal);
        foreach (var pointer in live)
        {
            if (!kept.TryGetValue(pointer.ReleaseId, out var release) || release.SaltEnv != pointer.SaltEnv)
            {
                return ([], $"saltenv {pointer.SaltEnv} serves release {pointer.ReleaseId}, which spiro.db does not record as a kept release of {pointer.SaltEnv} "
                    + "(an interrupted change): start spiro serve on the single master once, so its start-up repairs the store, stop it, then import");
            }
        }

        foreach (var release in kept.Values)
        {
            if (!byId.TryGetValue(release.Id, out var manifest) || manifest.SaltEnv != release.SaltEnv)
            {
                return ([], $"release {release.Id} of {release.SaltEnv} is recorded in spiro.db but manifests/{release.Id}.json "
                    + (manifest is null ? "is missing" : $"names {manifest.SaltEnv}") + ": the cluster could not make it on another master; nothing is imported");
            }
        }

        var shared = manifests.Where(m => kept.ContainsKey(m.ReleaseId) || pendingPlans.Contains(m.ReleaseId)).ToList();
        return (shared, null);
    }
}
