using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.Releases.Objects;
using Spiro.Core.Releases.Publishing;

namespace Spiro.Core.Releases.Sharing;

/// <summary>
/// Makes a release this master lacks from the cluster (docs/cluster.md): the manifest from the
/// shared database, the contents it has linked from <c>objects/</c>, the others fetched from the
/// shared content store <see cref="IReleaseSource.FetchParallelism"/> at a time, each streamed to
/// its file and checked against its sha256 before it is adopted. Laid out in staging exactly as a
/// publish lays it out (objects, sealed tree, durable manifest, read-only root) and moved into
/// <c>releases/</c> only when every object arrived: a failed fetch leaves nothing but staging,
/// which is removed. No pointer moves here.
/// </summary>
internal sealed class SharedReleaseMaker(StoreServices store)
{
    private StoreLayout Layout => store.Layout;

    /// <summary>
    /// Makes release <paramref name="id"/> in <c>releases/</c> (the caller holds the saltenv's lock);
    /// returns how many objects it fetched.
    /// </summary>
    public async Task<int> MaterialiseAsync(SaltEnvName saltEnv, string id, IReleaseSource source, CancellationToken cancellationToken)
    {
        var manifest = ReadManifest(saltEnv, id, source);
        var work = Path.Combine(Layout.StagingFor(saltEnv), id);
        var tree = Path.Combine(work, "tree");
        DurableFs.RemoveTree(work);
        Directory.CreateDirectory(tree);
        try
        {
            using (await store.HoldObjectsAsync(cancellationToken).ConfigureAwait(false))
            {
                var missing = PlaceKnown(manifest, tree);
                await FetchAsync(missing, source, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                Install(manifest, work, tree);
                return missing.Count;
            }
        }
        finally
        {
            DurableFs.RemoveTree(work);
        }
    }

    private static ReleaseManifest ReadManifest(SaltEnvName saltEnv, string id, IReleaseSource source)
    {
        var text = source.Manifest(id) ?? throw new InvalidDataException($"the cluster has no manifest for release {id} of {saltEnv}");
        var manifest = ManifestJson.Parse(text, $"the cluster's manifest of release {id}");
        return manifest.Release == id && manifest.SaltEnv == saltEnv
            ? manifest
            : throw new InvalidDataException($"the cluster's manifest of release {id} names release {manifest.Release} of {manifest.SaltEnv}");
    }

    /// <summary>
    /// Makes the tree's directories and links every content this master has; returns the others,
    /// one per content and mode, with every path of the tree that holds it.
    /// </summary>
    private List<MissingObject> PlaceKnown(ReleaseManifest manifest, string tree)
    {
        var missing = new Dictionary<(string Sha256, bool Executable), MissingObject>();
        foreach (var entry in manifest.Entries)
        {
            var destination = Inside(tree, entry.Path);
            if (entry.Kind != EntryKind.File)
            {
                Directory.CreateDirectory(destination);
                continue;
            }

            var sha = ContentKey.IsValid(entry.Sha256)
                ? entry.Sha256!
                : throw new InvalidDataException($"the cluster's manifest of release {manifest.Release}: '{entry.Path}' has no valid sha256");
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var local = store.Objects.PathFor(sha, entry.Executable);
            if (File.Exists(local))
            {
                ObjectStore.LinkOrCopy(local, destination);
            }
            else if (missing.TryGetValue((sha, entry.Executable), out var known))
            {
                known.Paths.Add(destination);
            }
            else
            {
                missing[(sha, entry.Executable)] = new MissingObject(sha, entry.Executable, entry.Path, manifest.Release, [destination]);
            }
        }

        return [.. missing.Values];
    }

    // Bounded: each fetch holds one connection and a 64 KiB buffer, never a whole object. The
    // first failure cancels the others and fails the release (its staging is removed by the caller).
    private async Task FetchAsync(List<MissingObject> missing, IReleaseSource source, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, source.FetchParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(missing, parallel, async (item, token) =>
        {
            FaultPoints.Hit("follow-fetch");
            var first = item.Paths[0];
            if (!await source.Content.TryFetchAsync(item.Sha256, first, token).ConfigureAwait(false))
            {
                throw new InvalidDataException($"object {item.Sha256} ('{item.FirstPath}' of release {item.Release}) is not in {source.Content.Location}");
            }

            DurableFs.SetMode(first, item.Executable ? DurableFs.ExecutableFile : DurableFs.ReadOnlyFile);
            store.Objects.Adopt(first, item.Sha256, item.Executable);
            foreach (var other in item.Paths.Skip(1))
            {
                ObjectStore.LinkOrCopy(first, other);
            }
        }).ConfigureAwait(false);
    }

    // As a publish: manifest first, then the tree, its root read-only before any pointer names it.
    private void Install(ReleaseManifest manifest, string work, string tree)
    {
        var id = manifest.Release;
        DurableFs.SealDirectories(tree);
        var stagedManifest = Path.Combine(work, "manifest.json");
        DurableFs.WriteDurably(stagedManifest, stream => ManifestJson.Write(stream, manifest));
        DurableFs.SyncFileSystem(Layout.Root);
        DurableFs.Rename(stagedManifest, Layout.Manifest(id));
        DurableFs.FsyncDirectory(Layout.Manifests);
        DurableFs.Rename(tree, Layout.ReleaseTree(id));
        DurableFs.SetMode(Layout.ReleaseTree(id), DurableFs.ReadOnlyDirectory);
        DurableFs.FsyncDirectory(Layout.ReleaseTree(id));
        DurableFs.FsyncDirectory(Layout.Releases);
    }

    // A manifest path is relative and stays inside the tree (the cluster's rows are input like any other).
    private static string Inside(string tree, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(tree, relative));
        return full.StartsWith(tree + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative)
            ? full
            : throw new InvalidDataException($"manifest path '{relative}' leaves the release tree");
    }

    /// <summary>A content the release needs and this master lacks: fetched once, then linked at every path of the tree that holds it.</summary>
    private sealed record MissingObject(string Sha256, bool Executable, string FirstPath, string Release, List<string> Paths);
}
