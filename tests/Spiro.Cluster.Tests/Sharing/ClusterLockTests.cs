using System.Diagnostics;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Cluster.Sharing;
using Spiro.Cluster.Tests.Support;
using Spiro.Core.Names;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Sharing;

/// <summary>
/// The cross-master lock and the fenced pointer move (docs/cluster.md), on the real PostgreSQL: a
/// master that stops answering loses the lock within seconds, and a master that lost it cannot
/// overwrite the pointer another master moved since.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
public sealed class ClusterLockTests(ClusterServicesFixture services)
{
    private static readonly SaltEnvName SaltEnv = SaltEnvName.TryParse("foo/dev", out _)!;

    private S3ContentStore Content() => new(new S3ContentOptions
    {
        Endpoint = new Uri(services.Ceph.Endpoint),
        Bucket = "lock-" + Guid.NewGuid().ToString("N")[..16],
        AccessKey = CephGateway.AccessKey,
        SecretKey = CephGateway.SecretKey,
    });

    [ClusterFact]
    public async Task Lock_HeldByAMasterThatStopsAnswering_IsFreedWithinSeconds_AndTheWaiterNamesTheHolder()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var proxy = PostgresProxy.Start(services.Postgres.Port);
        using var throughProxy = PostgresMetadataDatabase.OpenDatabase(proxy.Through(database));
        using var direct = PostgresMetadataDatabase.OpenDatabase(database);
        using var content = Content();
        var a = new ClusterReleases(throughProxy, content, "master-a");
        var b = new ClusterReleases(direct, content, "master-b");
        var held = await a.LockAsync(SaltEnv, TimeSpan.FromSeconds(5), null, CancellationToken.None);
        Assert.NotNull(held);

        // Master A's host vanishes: nothing more from it, and its sockets never close.
        proxy.Freeze();
        var reports = new List<string>();
        var clock = Stopwatch.StartNew();
        using var taken = await b.LockAsync(SaltEnv, TimeSpan.FromSeconds(90), new SyncProgress(reports), CancellationToken.None);
        var waited = clock.Elapsed;
        await proxy.DisposeAsync();
        held.Dispose();

        Assert.NotNull(taken);
        Assert.True(waited < TimeSpan.FromSeconds(45), $"master-b waited {waited.TotalSeconds:0.0} s for the lock of a master that stopped answering");
        Assert.Equal($"waiting for the cluster lock on foo/dev held by master master-a", Assert.Single(reports));
    }

    [ClusterFact]
    public async Task PointerMove_ByAMasterThatLostTheLock_AfterAnotherMovedIt_IsRefused_AndTheNewerPointerStays()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var content = Content();
        var a = new ClusterReleases(metadata, content, "master-a");
        var b = new ClusterReleases(metadata, content, "master-b");
        using var heldByA = await a.LockAsync(SaltEnv, TimeSpan.FromSeconds(5), null, CancellationToken.None);

        // PostgreSQL ends A's lock session (as it does when A stops answering); B takes the lock and deploys.
        Assert.Equal(1, TerminateLockSession(metadata, "master-a"));
        using (var heldByB = await b.LockAsync(SaltEnv, TimeSpan.FromSeconds(10), null, CancellationToken.None))
        {
            Assert.NotNull(heldByB);
            Move(metadata, b, "20261201T000002Z-bbbbbbbb");
        }

        // A, still running its change, reaches its transaction.
        var error = Assert.Throws<ClusterConflictException>(() => Move(metadata, a, "20261201T000001Z-aaaaaaaa"));

        Assert.Contains("the pointer of foo/dev moved while this master (master-a) was changing it (now release 20261201T000002Z-bbbbbbbb, set by master-b)", error.Message, StringComparison.Ordinal);
        Assert.Equal("20261201T000002Z-bbbbbbbb", a.CurrentPointer(SaltEnv)!.ReleaseId);
    }

    [ClusterFact]
    public async Task PointerMove_AfterTheLockSessionEnded_IsRefusedEvenWhenNobodyMovedIt()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var content = Content();
        var a = new ClusterReleases(metadata, content, "master-a");
        using var held = await a.LockAsync(SaltEnv, TimeSpan.FromSeconds(5), null, CancellationToken.None);
        Move(metadata, a, "20261201T000001Z-aaaaaaaa");

        Assert.Equal(1, TerminateLockSession(metadata, "master-a"));
        var error = Assert.Throws<ClusterConflictException>(() => Move(metadata, a, "20261201T000003Z-cccccccc"));

        Assert.Contains("master-a lost the cross-master lock on foo/dev", error.Message.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("20261201T000001Z-aaaaaaaa", a.CurrentPointer(SaltEnv)!.ReleaseId);
    }

    private static void Move(PostgresMetadataDatabase metadata, ClusterReleases master, string release)
    {
        using var connection = (NpgsqlConnection)metadata.Connect();
        using var transaction = connection.BeginTransaction();
        master.MovePointer(transaction, SaltEnv, release, null);
        transaction.Commit();
    }

    // The lock session carries the master's name (application_name): that is how an operator finds it too.
    private static int TerminateLockSession(PostgresMetadataDatabase metadata, string master)
    {
        using var connection = (NpgsqlConnection)metadata.Connect();
        using var command = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", master);
        var count = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        Thread.Sleep(200);
        return count;
    }

    private sealed class SyncProgress(List<string> reports) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
