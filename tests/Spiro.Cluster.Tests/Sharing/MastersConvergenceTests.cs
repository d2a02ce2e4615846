using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Sharing;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Sharing;

/// <summary>
/// Waiting for every master after a change (docs/cluster.md): the masters live when the wait starts
/// are the ones it waits for; one that falls silent during the wait (stuck, SIGSTOPped: its
/// salt-master still serves the old release) is reported, never dropped as if it had gone.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
public sealed class MastersConvergenceTests(ClusterServicesFixture services)
{
    [ClusterFact]
    public async Task Wait_ForAMasterThatFallsSilentDuringIt_ReportsItAsALaggard_NotComplete()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        // master-b was last seen 1 s inside the live window: live when the wait starts, out of the
        // window a second later, and it never applies the change.
        Execute(database, $"""
            INSERT INTO cluster_masters (name, host, data, started_at, seen_at) VALUES
                ('master-a', 'host-a', '/a', now(), now()),
                ('master-b', 'host-b', '/b', now() - interval '1 minute', now() - interval '{MasterRegistry.LiveWindow.TotalSeconds - 1} seconds');
            INSERT INTO cluster_pointers (saltenv, release_id, version, changed_at, changed_by) VALUES ('foo/dev', 'r2', 2, now(), 'master-a');
            INSERT INTO cluster_applied (master, saltenv, release_id, version, applied_at) VALUES
                ('master-a', 'foo/dev', 'r2', 2, now()), ('master-b', 'foo/dev', 'r1', 1, now());
            """);
        var convergence = new MastersConvergence(new ClusterState(metadata), new MasterRegistry(metadata), "master-a");

        var outcome = await convergence.WaitAsync("foo/dev", "r2", TimeSpan.FromSeconds(3), progress: null, CancellationToken.None);

        Assert.False(outcome.Complete);
        var laggard = Assert.Single(outcome.Laggards);
        Assert.Equal("master-b", laggard.Master);
        Assert.StartsWith("stopped answering during the wait, last seen ", laggard.Error, StringComparison.Ordinal);
        Assert.Equal(["master-a"], outcome.Serving);
        Assert.Contains("Master master-b did not serve release r2 of foo/dev within 3 s (cluster.apply_timeout) (master-b: stopped answering during the wait", outcome.Problem(), StringComparison.Ordinal);
    }

    [ClusterFact]
    public async Task Wait_ForAMasterThatSaysItStoppedDuringIt_DropsIt()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        Execute(database, """
            INSERT INTO cluster_masters (name, host, data, started_at, seen_at) VALUES
                ('master-a', 'host-a', '/a', now(), now()), ('master-b', 'host-b', '/b', now(), now());
            INSERT INTO cluster_pointers (saltenv, release_id, version, changed_at, changed_by) VALUES ('foo/dev', 'r2', 2, now(), 'master-a');
            INSERT INTO cluster_applied (master, saltenv, release_id, version, applied_at) VALUES ('master-a', 'foo/dev', 'r2', 2, now());
            """);
        var registry = new MasterRegistry(metadata);
        var convergence = new MastersConvergence(new ClusterState(metadata), registry, "master-a");

        var waiting = convergence.WaitAsync("foo/dev", "r2", TimeSpan.FromSeconds(20), progress: null, CancellationToken.None);
        await Task.Delay(500);
        registry.Stopped("master-b");
        var outcome = await waiting;

        Assert.True(outcome.Complete);
        Assert.Equal(["master-a"], outcome.Serving);
    }

    private static void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
