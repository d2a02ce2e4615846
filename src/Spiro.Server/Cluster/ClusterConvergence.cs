using Npgsql;
using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Core.Names;
using Spiro.Dashboard.Cluster;
using Spiro.Protocol.Events;
using Spiro.Server.Deploys;

namespace Spiro.Server.Cluster;

/// <summary>
/// This master waiting, after a change of its own went live here, until every live master serves
/// it (docs/cluster.md; <see cref="MastersConvergence"/>): a deploy or plan apply before its
/// highstate, reporting each master on its stream; a rollback, promote or delete before it answers.
/// After <see cref="ClusterOptions.ApplyTimeout"/> it gives up naming the laggards.
/// </summary>
internal sealed class ClusterConvergence(ClusterState state, MasterRegistry registry, ClusterStorage cluster, DeployRecorder recorder) : IMastersWait
{
    private MastersConvergence Masters => new(state, registry, cluster.Options.Name);

    /// <summary>Null when every live master serves <paramref name="releaseId"/> (or the pointer moved on); otherwise why the deploy fails.</summary>
    public async Task<string?> WaitAsync(string deployId, SaltEnvName saltEnv, string releaseId, CancellationToken cancellationToken)
    {
        var progress = new Reporter(line => recorder.Emit(deployId, ApiEventNames.DeployProgress, line));
        try
        {
            var outcome = await Masters.WaitAsync(saltEnv.ToString(), releaseId, cluster.Options.ApplyTimeout, progress, cancellationToken).ConfigureAwait(false);
            return outcome.Problem() is { } problem ? problem + "; the highstate did not run" : null;
        }
        catch (NpgsqlException e)
        {
            return $"cluster.database: cannot use PostgreSQL to see which masters serve release {releaseId}: {e.Message}; it is live on {cluster.Options.Name}";
        }
    }

    /// <summary>
    /// After a rollback, promote or delete (<paramref name="releaseId"/> null) through this master
    /// (its routes and its dashboard): who serves it, and a warning naming the laggards when not
    /// every live master does (the change itself stands: the pointer moved and the others keep following it).
    /// </summary>
    public async Task<MastersWaited> WaitForChangeAsync(SaltEnvName saltEnv, string? releaseId, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await Masters.WaitAsync(saltEnv.ToString(), releaseId, cluster.Options.ApplyTimeout, null, cancellationToken).ConfigureAwait(false);
            return new MastersWaited(outcome.Serving, [.. outcome.Laggards.Select(l => l.Master)], outcome.Problem());
        }
        catch (NpgsqlException e)
        {
            return new MastersWaited([cluster.Options.Name], [], $"cluster.database: cannot use PostgreSQL to see which masters follow the change: {e.Message}; it is live on {cluster.Options.Name}");
        }
    }

    // Reports synchronously (Progress<T> would post to the thread pool, out of order).
    private sealed class Reporter(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
