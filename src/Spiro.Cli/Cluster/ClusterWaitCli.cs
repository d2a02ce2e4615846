using System.CommandLine;
using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Core.Names;

namespace Spiro.Cli.Cluster;

/// <summary>
/// A change made with <c>--config</c> on a cluster (publish, rollback, promote, delete) waits, as
/// the same change through a master's server does, until every live master serves it (docs/cluster.md):
/// each master's progress on stderr, and the masters that did not within <c>cluster.apply_timeout</c>
/// named with exit <see cref="ExitCodes.NotEverywhere"/> (the change itself stands).
/// </summary>
internal static class ClusterWaitCli
{
    public static Option<bool> NoWaitOption() => new("--no-wait")
    {
        Description = "With --config on a cluster: answer once the change is recorded, without waiting for the other masters to serve it.",
    };

    /// <summary>
    /// <paramref name="done"/> (the verb's exit code so far) when there is nothing to wait for
    /// (no cluster, <c>--no-wait</c>, or the change failed); otherwise waits for the live masters
    /// to serve <paramref name="releaseId"/> in <paramref name="saltEnv"/> (null: the delete).
    /// </summary>
    public static async Task<int> WaitAsync(ParseResult parse, StoreTarget? target, Option<bool> noWait, SaltEnvName saltEnv, string? releaseId, int done, CancellationToken cancellationToken)
    {
        if (done != ExitCodes.Ok || target?.Cluster is not { } cluster || parse.GetValue(noWait))
        {
            return done;
        }

        var error = parse.InvocationConfiguration.Error;
        try
        {
            var masters = new MastersConvergence(new ClusterState(cluster.Metadata), new MasterRegistry(cluster.Metadata), cluster.Options.Name);
            var outcome = await masters.WaitAsync(saltEnv.ToString(), releaseId, cluster.Options.ApplyTimeout, new Lines(error), cancellationToken).ConfigureAwait(false);
            if (outcome.Problem() is not { } problem)
            {
                return ExitCodes.Ok;
            }

            error.WriteLine($"error: {problem}");
            return ExitCodes.NotEverywhere;
        }
        catch (Npgsql.NpgsqlException exception)
        {
            error.WriteLine($"error: cluster.database: cannot use PostgreSQL to see which masters serve the change: {exception.Message}; the change itself was recorded");
            return ExitCodes.Failure;
        }
    }

    // Written as they come (Progress<T> would post them to the thread pool, out of order).
    private sealed class Lines(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
