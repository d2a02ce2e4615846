using System.Formats.Tar;
using System.Text;
using Spiro.Cluster.Metadata;
using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Tokens;
using Spiro.Protocol.Highstate;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Metadata;

/// <summary>Every repository of the store, unchanged, on PostgreSQL: the SQL the two engines share.</summary>
[Collection(ClusterServicesFixture.Collection)]
public sealed class PostgresRepositoriesTests(ClusterServicesFixture services) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-pgstore-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly SaltEnvName Dev = new("foo", "dev");

    [ClusterFact]
    public async Task ReleaseStore_OnPostgres_PublishesRollsBackAndKeepsHistoryAndAuditThere()
    {
        using var database = PostgresMetadataDatabase.OpenDatabase(await services.Postgres.CreateDatabaseAsync());
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = _directory, Metadata = database, KeepReleases = 2 }, TimeProvider.System);

        var first = Published(await store.PublishAsync(Dev, Bundle("v1"), new PublishContext("token:ci"), CancellationToken.None));
        var second = Published(await store.PublishAsync(Dev, Bundle("v2"), new PublishContext("token:ci"), CancellationToken.None));
        var third = Published(await store.PublishAsync(Dev, Bundle("v3"), new PublishContext("token:ci"), CancellationToken.None));
        await store.RollbackAsync(Dev, null, new PublishContext("cli:root"), CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(_directory, "spiro.db")));
        Assert.Equal([third.Id, second.Id], store.Releases(Dev).Select(release => release.Id));
        Assert.Equal(second.Id, store.Releases(Dev).Single(release => release.Live).Id);
        Assert.Equal([first.Id, second.Id, third.Id, second.Id], store.History(Dev).Select(entry => entry.ReleaseId));
        Assert.Equal("v2", File.ReadAllText(Path.Combine(store.LiveReleasePath(Dev)!, "init.sls")));
        Assert.Null(store.Audit.Verify());
        Assert.Contains(store.Audit.Read(), row => row.Action == "rollback" && row.Actor == "cli:root");
    }

    [ClusterFact]
    public async Task Tokens_IssuedThroughOneMaster_AreRevokedForTheOtherAtOnce()
    {
        var connection = await services.Postgres.CreateDatabaseAsync();
        using var a = PostgresMetadataDatabase.OpenDatabase(connection);
        using var b = PostgresMetadataDatabase.OpenDatabase(connection);
        var issued = new TokenStore(a, TimeProvider.System).Issue(new TokenRequest(new TokenScope(["foo"], ["dev"], false), "ci", null, TimeSpan.FromDays(1)));

        var seen = new TokenStore(b, TimeProvider.System).FindByToken(issued.Token);
        new TokenStore(a, TimeProvider.System).Revoke(issued.Record.Id);

        Assert.Equal((issued.Record.Id, issued.Record.Hash, issued.Record.Expires), (seen!.Id, seen.Hash, seen.Expires));
        Assert.Equal(["foo"], seen.Scope.Projects);
        Assert.Null(seen.Revoked);
        Assert.NotNull(new TokenStore(b, TimeProvider.System).FindByToken(issued.Token)!.Revoked);
    }

    [ClusterFact]
    public async Task DeployLog_OnPostgres_KeepsEventsInOrderAndTheNewestDeployPerSaltEnv()
    {
        using var database = PostgresMetadataDatabase.OpenDatabase(await services.Postgres.CreateDatabaseAsync());
        var log = new DeployLog(database, TimeProvider.System);
        log.Create("d1", "foo/dev", "token:ci", highstate: true, test: false);
        log.Create("d2", "foo/dev", "token:ci", highstate: false, test: true, tolerateMissing: true);
        log.Create("d3", "foo/prod", "token:ci", highstate: false, test: false);
        Assert.Equal(1, log.Append("d2", "progress", "{\"step\":1}"));
        Assert.Equal(2, log.Append("d2", "progress", "{\"step\":2}"));
        log.SetRelease("d2", "20261201T000000Z-00000001");
        log.Finish("d2", "succeeded");

        Assert.Equal(["{\"step\":2}"], log.EventsAfter("d2", 1).Select(e => e.Data));
        Assert.Equal(["d2", "d1"], log.Recent("foo/dev", 10).Select(d => d.Id));
        Assert.Equal("d2", log.LatestBySaltEnv()["foo/dev"].Id);
        var d2 = log.Find("d2")!;
        Assert.Equal(("succeeded", "20261201T000000Z-00000001", true, true), (d2.Status, d2.Release, d2.Test, d2.TolerateMissing));
        Assert.Equal(1, log.AppendFinish("d3", "deploy-finish", "{}", "failed"));
        Assert.Equal("failed", log.Find("d3")!.Status);
        Assert.Equal(1, log.AbandonRunning());
    }

    [ClusterFact]
    public async Task HighstateResults_OnPostgres_RoundTripAndTally()
    {
        using var database = PostgresMetadataDatabase.OpenDatabase(await services.Postgres.CreateDatabaseAsync());
        var store = new HighstateResultStore(database);
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var ok = new MinionSummary("m1", MinionOutcome.Succeeded, 3, 1, 0, 0, [], [], 10.5, 0);
        var missing = MinionSummary.NeverReturned("m2");
        store.Record(new HighstateRun("run-a", "r1", Dev, Test: false, at, [ok, missing]));

        var run = Assert.Single(store.Query("r1", Dev));

        Assert.Equal(at, run.FinishedAt);
        Assert.Equal(ok, run.Minions[0] with { States = ok.States, Errors = ok.Errors });
        Assert.Equal(MinionOutcome.NoReturn, run.Minions[1].Outcome);
        var tally = store.LatestBySaltEnv()["foo/dev"];
        Assert.Equal(("r1", 2, 1, false), (tally.ReleaseId, tally.Minions, tally.Succeeded, tally.Test));
    }

    private static ReleaseInfo Published(PublishResult result) => Assert.IsType<PublishResult.Published>(result).Release;

    private static MemoryStream Bundle(string content)
    {
        var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "init.sls") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
            tar.WriteEntry(entry);
        }

        stream.Position = 0;
        return stream;
    }
}
