using System.Diagnostics;
using Npgsql;
using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Core.Names;
using Spiro.Protocol.Events;
using Spiro.Server.Deploys;

namespace Spiro.Server.Cluster;

/// <summary>
/// A deploy in a cluster waits, after its release went live here, until every live master serves
/// it (docs/cluster.md), reporting each master as it does; only then does the highstate run.
/// Masters alive within <see cref="MasterRegistry.LiveWindow"/> count; one that stops meanwhile
/// drops out. After <see cref="ClusterOptions.ApplyTimeout"/> it gives up naming the laggards.
/// </summary>
internal sealed class ClusterConvergence(ClusterState state, MasterRegistry registry, ClusterStorage cluster, DeployRecorder recorder)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Null when every live master serves <paramref name="releaseId"/> (or the pointer moved on); otherwise why the deploy fails.</summary>
    public async Task<string?> WaitAsync(string deployId, SaltEnvName saltEnv, string releaseId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var me = cluster.Options.Name;
        while (true)
        {
            List<string> waiting;
            try
            {
                if (state.VersionOf(saltEnv.ToString(), releaseId) is not { } version)
                {
                    recorder.Emit(deployId, ApiEventNames.DeployProgress, $"The cluster's pointer of {saltEnv} moved past release {releaseId} (a later change); not waiting for the other masters");
                    return null;
                }

                var now = registry.Now();
                var live = registry.Masters().Where(m => m.Name == me || m.LiveAt(now, MasterRegistry.LiveWindow)).Select(m => m.Name).ToList();
                var applied = state.Applied(saltEnv.ToString()).ToDictionary(a => a.Master, StringComparer.Ordinal);
                waiting = [];
                foreach (var master in live)
                {
                    if (applied.TryGetValue(master, out var row) && row.Version >= version)
                    {
                        if (reported.Add(master))
                        {
                            recorder.Emit(deployId, ApiEventNames.DeployProgress, $"Master {master} serves release {releaseId} ({clock.Elapsed.TotalSeconds:0.0} s)");
                        }

                        continue;
                    }

                    waiting.Add(master);
                    if (row?.Error is { } error && (!errors.TryGetValue(master, out var seen) || seen != error))
                    {
                        errors[master] = error;
                        recorder.Emit(deployId, ApiEventNames.DeployProgress, $"Master {master} could not apply release {releaseId} yet: {error}");
                    }
                }
            }
            catch (NpgsqlException e)
            {
                return $"cluster.database: cannot use PostgreSQL to see which masters serve release {releaseId}: {e.Message}; it is live on {me}";
            }

            if (waiting.Count == 0)
            {
                return null;
            }

            if (clock.Elapsed > cluster.Options.ApplyTimeout)
            {
                var why = string.Join("; ", waiting.Where(errors.ContainsKey).Select(m => $"{m}: {errors[m]}"));
                return $"Master{(waiting.Count == 1 ? "" : "s")} {string.Join(", ", waiting)} did not serve release {releaseId} of {saltEnv} within {cluster.Options.ApplyTimeout.TotalSeconds:0.#} s (cluster.apply_timeout)"
                    + (why.Length > 0 ? $" ({why})" : "")
                    + $"; it is live on {string.Join(", ", reported)}; the highstate did not run";
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }
}
