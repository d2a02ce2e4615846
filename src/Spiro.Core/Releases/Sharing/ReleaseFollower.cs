using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.Releases.Publishing;

namespace Spiro.Core.Releases.Sharing;

/// <summary>
/// A master following the cluster's pointer of one saltenv (docs/cluster.md): under this master's
/// own lock on the saltenv (not the cross-master one, which the publishing master holds), the
/// release the pointer names is made here from the shared manifest and content when it is
/// missing, exactly as a publish lays it out (objects, sealed tree, durable manifest), and the
/// symlink flips to it. A crash at any step leaves the live release as it was; start-up cleans
/// the staging leftovers and the next round starts again.
/// </summary>
internal sealed class ReleaseFollower(StoreServices store, ReleaseMaterialiser materialiser)
{
    private StoreLayout Layout => store.Layout;

    public async Task<FollowResult> FollowAsync(SaltEnvName saltEnv, IReleaseSource source, CancellationToken cancellationToken)
    {
        // Never waits: a publish of this master holding the lock moves the pointer itself, and the
        // other saltenvs should not wait behind it; the next round looks again.
        using var held = store.Locks.TryTake(saltEnv);
        if (held is null)
        {
            return new FollowResult.Busy($"{saltEnv} is locked by {store.Locks.DescribeHolder(saltEnv)}");
        }

        // Read under the lock: a publish of this master may have moved it meanwhile.
        if (source.CurrentPointer(saltEnv) is not { } pointer)
        {
            return new FollowResult.NoPointer();
        }

        var live = Layout.LiveRelease(saltEnv);
        if (string.Equals(live, pointer.ReleaseId, StringComparison.Ordinal))
        {
            source.Applied(saltEnv, pointer);
            PruneRemoved(saltEnv);
            return new FollowResult.Unchanged(pointer);
        }

        var fetched = 0;
        if (pointer.ReleaseId is not { } id)
        {
            var link = Layout.EnvLink(saltEnv);
            if (DurableFs.ReadLink(link) is not null)
            {
                File.Delete(link);
                DurableFs.FsyncDirectory(Path.GetDirectoryName(link)!);
            }
        }
        else
        {
            if (!Directory.Exists(Layout.ReleaseTree(id)) || !File.Exists(Layout.Manifest(id)))
            {
                fetched = await MaterialiseAsync(saltEnv, id, source, cancellationToken).ConfigureAwait(false);
            }

            FaultPoints.Hit("follow-flip");
            materialiser.Flip(saltEnv, id);
        }

        source.Applied(saltEnv, pointer);
        if (PruneRemoved(saltEnv) > 0)
        {
            store.TryCollectGarbage();
        }

        return new FollowResult.Applied(pointer, live, fetched);
    }

    /// <summary>
    /// Makes release <paramref name="id"/> in <c>releases/</c> from the cluster's manifest and
    /// content (the caller holds the saltenv's lock); returns how many objects it fetched.
    /// </summary>
    internal async Task<int> MaterialiseAsync(SaltEnvName saltEnv, string id, IReleaseSource source, CancellationToken cancellationToken)
    {
        var text = source.Manifest(id) ?? throw new InvalidDataException($"the cluster has no manifest for release {id} of {saltEnv}");
        var manifest = ManifestJson.Parse(text, $"the cluster's manifest of release {id}");
        if (manifest.Release != id || manifest.SaltEnv != saltEnv)
        {
            throw new InvalidDataException($"the cluster's manifest of release {id} names release {manifest.Release} of {manifest.SaltEnv}");
        }

        var work = Path.Combine(Layout.StagingFor(saltEnv), id);
        var tree = Path.Combine(work, "tree");
        var fetched = 0;
        DurableFs.RemoveTree(work);
        Directory.CreateDirectory(tree);
        try
        {
            using (await store.HoldObjectsAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var entry in manifest.Entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var destination = Inside(tree, entry.Path);
                    if (entry.Kind != EntryKind.File)
                    {
                        Directory.CreateDirectory(destination);
                        continue;
                    }

                    var sha = entry.Sha256 ?? throw new InvalidDataException($"the cluster's manifest of release {id}: '{entry.Path}' has no sha256");
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    var local = store.Objects.PathFor(sha, entry.Executable);
                    if (File.Exists(local))
                    {
                        Objects.ObjectStore.LinkOrCopy(local, destination);
                        continue;
                    }

                    FaultPoints.Hit("follow-fetch");
                    if (!await source.Content.TryFetchAsync(sha, destination, cancellationToken).ConfigureAwait(false))
                    {
                        throw new InvalidDataException($"object {sha} ('{entry.Path}' of release {id}) is not in {source.Content.Location}");
                    }

                    fetched++;
                    DurableFs.SetMode(destination, entry.Executable ? DurableFs.ExecutableFile : DurableFs.ReadOnlyFile);
                    store.Objects.Adopt(destination, sha, entry.Executable);
                }

                DurableFs.SealDirectories(tree);
                var stagedManifest = Path.Combine(work, "manifest.json");
                DurableFs.WriteDurably(stagedManifest, stream => ManifestJson.Write(stream, manifest));
                DurableFs.SyncFileSystem(Layout.Root);
                cancellationToken.ThrowIfCancellationRequested();

                // As a publish: manifest first, then the tree, its root read-only before any pointer names it.
                DurableFs.Rename(stagedManifest, Layout.Manifest(id));
                DurableFs.FsyncDirectory(Layout.Manifests);
                DurableFs.Rename(tree, Layout.ReleaseTree(id));
                DurableFs.SetMode(Layout.ReleaseTree(id), DurableFs.ReadOnlyDirectory);
                DurableFs.FsyncDirectory(Layout.ReleaseTree(id));
                DurableFs.FsyncDirectory(Layout.Releases);
            }
        }
        finally
        {
            DurableFs.RemoveTree(work);
        }

        return fetched;
    }

    /// <summary>
    /// Releases of <paramref name="saltEnv"/> this master still has but the cluster removed
    /// (another master's retention or delete) go here too; a pending plan's candidate stays.
    /// </summary>
    private int PruneRemoved(SaltEnvName saltEnv)
    {
        var live = Layout.LiveRelease(saltEnv);
        var active = store.Repository.Active(saltEnv).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(Layout.Manifests, "*.json").ToList())
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (!ReleaseId.IsValid(id) || id == live || active.Contains(id) || store.Candidates.IsKept(saltEnv, id) || ManifestJson.ReadSaltEnv(path) != saltEnv)
            {
                continue;
            }

            store.Remover.Remove(saltEnv, id);
            removed++;
        }

        return removed;
    }

    // A manifest path is relative and stays inside the tree (the cluster's rows are input like any other).
    private static string Inside(string tree, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(tree, relative));
        return full.StartsWith(tree + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative)
            ? full
            : throw new InvalidDataException($"manifest path '{relative}' leaves the release tree");
    }
}
