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

    /// <summary>
    /// How many releases one round makes while the pointer keeps moving under it before it flips
    /// to the last one it made (the next round follows on).
    /// </summary>
    internal const int MaxMaterialisations = 3;

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
        var fetched = 0;
        if (!string.Equals(live, pointer.ReleaseId, StringComparison.Ordinal))
        {
            (pointer, fetched) = await MakeNewestAsync(saltEnv, pointer, source, cancellationToken).ConfigureAwait(false);
        }

        if (string.Equals(live, pointer.ReleaseId, StringComparison.Ordinal))
        {
            source.Applied(saltEnv, pointer);
            PruneRemoved(saltEnv);
            return new FollowResult.Unchanged(pointer);
        }

        if (pointer.ReleaseId is { } id)
        {
            FaultPoints.Hit("follow-flip");
            materialiser.Flip(saltEnv, id);
        }
        else
        {
            var link = Layout.EnvLink(saltEnv);
            if (DurableFs.ReadLink(link) is not null)
            {
                File.Delete(link);
                DurableFs.FsyncDirectory(Path.GetDirectoryName(link)!);
            }
        }

        source.Applied(saltEnv, pointer);
        if (PruneRemoved(saltEnv) > 0)
        {
            store.TryCollectGarbage();
        }

        return new FollowResult.Applied(pointer, live, fetched);
    }

    /// <summary>
    /// Makes the release <paramref name="pointer"/> names when it is missing here, then reads the
    /// pointer again: making a release takes a while, and when another master moved the pointer
    /// meanwhile this master goes straight on to the newer one instead of flipping to a release
    /// the cluster no longer serves. Returns the pointer to flip to (its release is here, or it is
    /// a delete) and how many objects were fetched.
    /// </summary>
    private async Task<(SharedPointer Pointer, int Fetched)> MakeNewestAsync(SaltEnvName saltEnv, SharedPointer pointer, IReleaseSource source, CancellationToken cancellationToken)
    {
        var fetched = 0;
        var made = 0;
        while (pointer.ReleaseId is { } id && !IsHere(id))
        {
            fetched += await new SharedReleaseMaker(store).MaterialiseAsync(saltEnv, id, source, cancellationToken).ConfigureAwait(false);
            if (++made == MaxMaterialisations || source.CurrentPointer(saltEnv) is not { } now || now.Version == pointer.Version)
            {
                break;
            }

            pointer = now;
        }

        return (pointer, fetched);
    }

    private bool IsHere(string id) => Directory.Exists(Layout.ReleaseTree(id)) && File.Exists(Layout.Manifest(id));

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
}
