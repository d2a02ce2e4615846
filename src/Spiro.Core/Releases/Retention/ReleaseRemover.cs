using Spiro.Core.Names;
using Spiro.Core.Releases.History;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Releases.Retention;

/// <summary>
/// Removes a release that no pointer references. The tree first leaves <c>releases/</c> in one
/// rename (so nobody sees half a tree, and a crash leaves nothing to mistake for a release),
/// then the history row is marked, then the manifest goes, then the moved tree is deleted.
/// The caller holds the saltenv's lock.
/// </summary>
internal sealed class ReleaseRemover(StoreLayout layout, ReleaseRepository repository, TimeProvider time)
{
    public void Remove(SaltEnvName saltEnv, string id)
    {
        if (string.Equals(layout.LiveRelease(saltEnv), id, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"release {id} is live in {saltEnv}; refusing to remove it");
        }

        var tree = layout.ReleaseTree(id);
        var trash = Path.Combine(layout.StagingFor(saltEnv), id + ".removing");
        if (Directory.Exists(tree))
        {
            Directory.CreateDirectory(layout.StagingFor(saltEnv));
            DurableFs.RemoveTree(trash);
            // rename(2) of a directory needs write permission on it (to update its "..").
            DurableFs.SetMode(tree, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            DurableFs.Rename(tree, trash);
            DurableFs.FsyncDirectory(layout.Releases);
        }

        repository.MarkRemoved(id, time.GetUtcNow());
        File.Delete(layout.Manifest(id));
        DurableFs.RemoveTree(trash);
    }
}
