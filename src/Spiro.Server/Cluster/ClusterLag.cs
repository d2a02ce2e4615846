using Spiro.Cluster.Sharing;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Server.Cluster;

/// <summary>
/// Where this master is behind the cluster (catch-up, <c>/healthz</c>): what it recorded as applied
/// is not enough, its symlink is what Salt gets (a restored data directory or a change made on it by
/// hand differs), so a saltenv is behind unless both match the pointer.
/// </summary>
internal static class ClusterLag
{
    public static IReadOnlyList<SaltEnvLag> Behind(ClusterReleases releases, ReleaseStore store)
    {
        var behind = new List<SaltEnvLag>();
        foreach (var (name, target, applied) in releases.Pointers())
        {
            if (SaltEnvName.TryParse(name, out _) is not { } saltEnv)
            {
                continue;
            }

            var serves = store.LiveRelease(saltEnv);
            if (applied < target.Version || !string.Equals(serves, target.ReleaseId, StringComparison.Ordinal))
            {
                behind.Add(new SaltEnvLag(saltEnv, target, serves));
            }
        }

        return behind;
    }
}
