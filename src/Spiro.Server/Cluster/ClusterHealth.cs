using System.Text;
using Npgsql;
using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Core.Releases;

namespace Spiro.Server.Cluster;

/// <summary>
/// The cluster part of <c>/healthz</c>: after its <c>ok</c> line, this master's name and every
/// saltenv where it serves something other than the cluster's pointer (its lag), with the reason
/// it could not follow. The status stays 200: the master serves what it has either way.
/// </summary>
internal static class ClusterHealth
{
    public static string Text(ClusterReleases releases, ClusterState state, ReleaseStore store)
    {
        var text = new StringBuilder("ok\n");
        try
        {
            var behind = ClusterLag.Behind(releases, store);
            var mine = state.Applied().Where(a => a.Master == releases.Master).ToDictionary(a => a.SaltEnv, StringComparer.Ordinal);
            text.Append($"cluster: master {releases.Master}, behind in {behind.Count} saltenv{(behind.Count == 1 ? "" : "s")}\n");
            foreach (var (saltEnv, target, serves) in behind)
            {
                text.Append($"behind {saltEnv}: serves {serves ?? "nothing"}, the cluster has {target.ReleaseId ?? "nothing (deleted)"}");
                // Only an error about this pointer (or a later one): one about a release the cluster moved past is stale.
                text.Append(mine.GetValueOrDefault(saltEnv.ToString())?.ErrorAbout(target.Version) is { } error ? $" ({error})\n" : "\n");
            }
        }
        catch (Exception e) when (e is NpgsqlException or ClusterUnavailableException)
        {
            text.Append($"cluster: master {releases.Master} cannot reach PostgreSQL ({e.Message}); it serves what it has and follows again once it can\n");
        }

        return text.ToString();
    }
}
