using Spiro.Core.Names;
using Spiro.Core.Releases.History;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Recovery;

/// <summary>
/// Start-up cleaning of interrupted work. Each saltenv is repaired only while its lock is free
/// (taken without waiting), so a publish running in another process is never disturbed, and
/// the release a pointer names is never removed: an unrecorded live release (crash between the
/// flip and the history row) is recorded from its manifest instead.
/// </summary>
internal sealed class StoreRecovery(StoreServices store)
{
    private StoreLayout Layout => store.Layout;

    /// <summary>TEST ONLY: runs just before each saltenv's lock is tried, to play a concurrent process's work.</summary>
    internal Action<SaltEnvName>? BeforeLock { get; init; }

    public void Run()
    {
        // The snapshot only decides which saltenvs to visit; what to repair is decided from the
        // rows and manifests read again once the saltenv's lock is held, so a publish another
        // process finished in between is seen as it is now.
        var saltEnvOf = new Dictionary<string, SaltEnvName?>(StringComparer.Ordinal);
        var recorded = store.Repository.AllActive();
        foreach (var release in recorded)
        {
            saltEnvOf[release.Id] = release.SaltEnv;
        }

        var crashed = false;
        foreach (var saltEnv in KnownSaltEnvs(recorded, ManifestSaltEnvs(saltEnvOf).Values))
        {
            BeforeLock?.Invoke(saltEnv);
            using var held = store.Locks.TryTake(saltEnv);
            if (held is not null)
            {
                var active = store.Repository.Active(saltEnv);
                var activeIds = active.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
                var orphans = ManifestSaltEnvs(saltEnvOf).Where(m => m.Value == saltEnv && !activeIds.Contains(m.Key)).Select(m => m.Key).ToList();
                crashed |= Repair(saltEnv, active, orphans);
            }
        }

        crashed |= RemoveUnlistedTrees();
        store.Candidates.RemoveStrayPlanDirectories();
        if (crashed)
        {
            store.TryCollectGarbage();
        }
    }

    private bool Repair(SaltEnvName saltEnv, IEnumerable<ReleaseRecord> recorded, IEnumerable<string> orphans)
    {
        var repaired = ClearStaging(saltEnv);
        RemoveTempLinks(saltEnv);
        var live = Layout.LiveRelease(saltEnv);
        repaired |= RepairOrphans(saltEnv, orphans, live);
        repaired |= RepairRecorded(saltEnv, recorded, live);
        if (live is not null)
        {
            SealRoot(live);
        }

        return repaired;
    }

    /// <summary>Whatever an interrupted publish left in the saltenv's staging directory.</summary>
    private bool ClearStaging(SaltEnvName saltEnv)
    {
        var staging = Layout.StagingFor(saltEnv);
        if (!Directory.Exists(staging))
        {
            return false;
        }

        var repaired = false;
        foreach (var leftover in Directory.EnumerateFileSystemEntries(staging).ToList())
        {
            DurableFs.RemoveTree(leftover);
            File.Delete(leftover);
            repaired = true;
        }

        return repaired;
    }

    private void RemoveTempLinks(SaltEnvName saltEnv)
    {
        var projectEnvs = Path.Combine(Layout.Envs, saltEnv.Project);
        if (!Directory.Exists(projectEnvs))
        {
            return;
        }

        // Only this saltenv's own temp links: ".dev.*.tmp" would also match ".dev.x.<id>.tmp",
        // which belongs to saltenv dev.x, whose lock another process may hold mid-flip.
        foreach (var temp in Directory.EnumerateFileSystemEntries(projectEnvs, $".{saltEnv.Deployment}.*.tmp").ToList())
        {
            if (IsTempLinkOf(saltEnv, Path.GetFileName(temp)))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Releases with a manifest but no row: a kept plan candidate, an unrecorded live release, or leftovers.</summary>
    private bool RepairOrphans(SaltEnvName saltEnv, IEnumerable<string> orphans, string? live)
    {
        var repaired = false;
        foreach (var id in orphans)
        {
            if (id != live && store.Candidates.IsKept(saltEnv, id) && Directory.Exists(Layout.ReleaseTree(id)))
            {
                // A pending plan's candidate: not live and not recorded as a release on purpose.
                continue;
            }

            if (id != live && store.Plans.Find(id) is { Pending: true })
            {
                store.Candidates.Remove(saltEnv, id);
                repaired = true;
            }
            else if (id == live && store.Sharing is not null)
            {
                // In a cluster a release row is written before any symlink names it, so a live
                // release without one is not an interrupted publish of this master: the cluster
                // retired it (another master's retention or delete) while this master was down. It
                // is not recorded again; catching up moves the symlink on and removes it.
                continue;
            }
            else if (id == live && Directory.Exists(Layout.ReleaseTree(id)))
            {
                RecordInterrupted(saltEnv, id);
            }
            else
            {
                store.Remover.Remove(saltEnv, id);
                repaired = true;
            }
        }

        return repaired;
    }

    /// <summary>A crash between the flip and the history row: the live release is recorded from its manifest.</summary>
    private void RecordInterrupted(SaltEnvName saltEnv, string id)
    {
        const string Why = "recorded at start-up after an interrupted publish";
        var manifest = ManifestJson.Read(Layout.Manifest(id));
        store.Repository.Record(ReleaseRecord.From(manifest), new HistoryEntry(store.Time.GetUtcNow(), saltEnv.ToString(), id, "recover", manifest.PublishedBy, Why));
        store.Audit.Append(manifest.PublishedBy, manifest.How, saltEnv.ToString(), "ok", $"release {id}; {Why}");
    }

    /// <summary>Recorded releases: an interrupted removal is finished, a complete one has its root sealed.</summary>
    private bool RepairRecorded(SaltEnvName saltEnv, IEnumerable<ReleaseRecord> recorded, string? live)
    {
        var repaired = false;
        foreach (var release in recorded)
        {
            var complete = Directory.Exists(Layout.ReleaseTree(release.Id)) && File.Exists(Layout.Manifest(release.Id));
            if (!complete && release.Id != live && store.Sharing is not null && !HasLocalTrace(release.Id))
            {
                // In a cluster the rows are every master's: one this master never materialised is
                // another master's release (it follows the cluster's pointer), not a removal of its own.
                continue;
            }

            if (!complete && release.Id != live)
            {
                // An interrupted removal: finish it.
                store.Remover.Remove(saltEnv, release.Id);
                repaired = true;
            }
            else if (complete)
            {
                SealRoot(release.Id);
            }
        }

        return repaired;
    }

    // A removal moves the tree out first and deletes the manifest last: either one left means this master had the release.
    private bool HasLocalTrace(string id) => Directory.Exists(Layout.ReleaseTree(id)) || File.Exists(Layout.Manifest(id));

    /// <summary>
    /// A release root left writable (a store written before the root's mode was made durable
    /// before the flip, or a crash that lost the chmod) is made read-only again (invariant 3).
    /// </summary>
    private void SealRoot(string id)
    {
        var tree = Layout.ReleaseTree(id);
        if (!OperatingSystem.IsWindows() && Directory.Exists(tree) && File.GetUnixFileMode(tree) != DurableFs.ReadOnlyDirectory)
        {
            DurableFs.SetMode(tree, DurableFs.ReadOnlyDirectory);
            DurableFs.FsyncDirectory(tree);
        }
    }

    /// <summary>Exactly <c>.&lt;deployment&gt;.&lt;release-id&gt;.tmp</c> (release ids contain no dot).</summary>
    internal static bool IsTempLinkOf(SaltEnvName saltEnv, string name)
    {
        var prefix = "." + saltEnv.Deployment + ".";
        const string Suffix = ".tmp";
        return name.Length > prefix.Length + Suffix.Length
            && name.StartsWith(prefix, StringComparison.Ordinal)
            && name.EndsWith(Suffix, StringComparison.Ordinal)
            && ReleaseId.IsValid(name[prefix.Length..^Suffix.Length]);
    }

    /// <summary>
    /// Every manifest now in manifests/ with the saltenv it names. A manifest's saltenv never
    /// changes, so <paramref name="saltEnvOf"/> caches it (seeded from the rows) and each file is read once.
    /// </summary>
    private Dictionary<string, SaltEnvName> ManifestSaltEnvs(Dictionary<string, SaltEnvName?> saltEnvOf)
    {
        var manifests = new Dictionary<string, SaltEnvName>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Layout.Manifests, "*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (!ReleaseId.IsValid(id))
            {
                continue;
            }

            if (!saltEnvOf.TryGetValue(id, out var saltEnv))
            {
                saltEnv = ManifestJson.ReadSaltEnv(path);
                saltEnvOf[id] = saltEnv;
            }

            if (saltEnv is not null)
            {
                manifests[id] = saltEnv;
            }
        }

        return manifests;
    }

    private HashSet<SaltEnvName> KnownSaltEnvs(IEnumerable<ReleaseRecord> recorded, IEnumerable<SaltEnvName> manifestSaltEnvs)
    {
        var all = new HashSet<SaltEnvName>(recorded.Select(r => r.SaltEnv).Concat(manifestSaltEnvs));
        all.UnionWith(Layout.LivePointers().Select(p => p.SaltEnv));
        foreach (var projectDirectory in Directory.EnumerateDirectories(Layout.Staging))
        {
            foreach (var deploymentDirectory in Directory.EnumerateDirectories(projectDirectory))
            {
                if (SaltEnvName.TryCreate(Path.GetFileName(projectDirectory), Path.GetFileName(deploymentDirectory), out _) is { } saltEnv)
                {
                    all.Add(saltEnv);
                }
            }
        }

        return all;
    }

    /// <summary>A tree in releases/ without a manifest and without a pointer is never a release (manifests land first).</summary>
    private bool RemoveUnlistedTrees()
    {
        var live = Layout.LivePointers().Select(p => p.ReleaseId).ToHashSet(StringComparer.Ordinal);
        var removed = false;
        foreach (var tree in Directory.EnumerateDirectories(Layout.Releases).ToList())
        {
            var id = Path.GetFileName(tree);
            if (!live.Contains(id) && !File.Exists(Layout.Manifest(id)))
            {
                DurableFs.RemoveTree(tree);
                removed = true;
            }
        }

        return removed;
    }
}
