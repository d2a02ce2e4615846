using Microsoft.Data.Sqlite;
using Spiro.Core.Releases.Layout;
using Spiro.Testing.Store;

namespace Spiro.Core.Tests.Releases;

/// <summary>Recovery next to saltenvs other processes are working on, and repairs of invariants a crash could break.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RecoveryRaceTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string Data => _fixture.Data;

    [Fact]
    public async Task Open_LeavesTheTempLinkOfADeploymentWhoseNameExtendsAnotherAlone()
    {
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var other = await _fixture.PublishAsync("foo/dev.x", new Dictionary<string, string> { ["a"] = "2" });
        // foo/dev.x is mid-flip in another process: its temp link exists and its lock is held.
        var otherTemp = Path.Combine(Data, "envs/foo", $".dev.x.{other.Id}.tmp");
        File.CreateSymbolicLink(otherTemp, "../../releases/" + other.Id);
        var ownTemp = Path.Combine(Data, "envs/foo", ".dev.20261125T000000Z-deadbeef.tmp");
        File.CreateSymbolicLink(ownTemp, "../../releases/20261125T000000Z-deadbeef");
        var lockFile = Path.Combine(Data, "locks/foo/dev.x.lock");
        using (OtherProcessLock.Hold(lockFile))
        {
            _fixture.Reopen();
        }

        Assert.NotNull(new FileInfo(otherTemp).LinkTarget);
        Assert.Null(new FileInfo(ownTemp).LinkTarget);
    }

    [Theory]
    [InlineData("dev", ".dev.20261125T000000Z-deadbeef.tmp", true)]
    [InlineData("dev", ".dev.x.20261125T000000Z-deadbeef.tmp", false)]
    [InlineData("dev", ".dev.20261125T000000Z-DEADBEEF.tmp", false)]
    [InlineData("dev", ".dev..tmp", false)]
    [InlineData("dev.x", ".dev.x.20261125T000000Z-deadbeef.tmp", true)]
    public void TempLinkMatching_AcceptsOnlyTheSaltEnvsOwnReleaseIds(string deployment, string name, bool expected) =>
        Assert.Equal(expected, Spiro.Core.Releases.Recovery.StoreRecovery.IsTempLinkOf(StoreFixture.Env("foo/" + deployment), name));

    [Fact]
    public async Task Open_MakesAWritableLiveReleaseRootReadOnlyAgain()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var live = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });
        // A crash that lost the root's chmod (the flip was durable, the mode was not).
        File.SetUnixFileMode(Path.Combine(Data, "releases", live.Id), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(Data, "releases", first.Id), (UnixFileMode)0b111_101_101);

        _fixture.Reopen();

        Assert.Equal(DurableFs.ReadOnlyDirectory, File.GetUnixFileMode(Path.Combine(Data, "releases", live.Id)));
        Assert.Equal(DurableFs.ReadOnlyDirectory, File.GetUnixFileMode(Path.Combine(Data, "releases", first.Id)));
    }

    [Fact]
    public async Task Publish_WhenHistoryCannotBeWrittenAfterTheFlip_IsPublishedWithAWarningAndRecoveryRecordsIt()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        // A real SQLite failure on the history insert, after the pointer has moved.
        Execute(Data, "CREATE TRIGGER fail_history BEFORE INSERT ON releases BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END;");
        var (tree, entries) = _fixture.WriteTree(new Dictionary<string, byte[]> { ["a"] = "2"u8.ToArray() });

        var result = await _fixture.Store.PublishExtractedAsync(StoreFixture.Env("foo/dev"), tree, entries, null, Spiro.Core.Releases.Manifests.TopKind.None, new Spiro.Core.Releases.PublishContext("test"), CancellationToken.None);

        var published = Assert.IsType<Spiro.Core.Releases.PublishResult.Published>(result);
        Assert.Contains(published.Warnings, w => w.Contains("recording the release in history", StringComparison.Ordinal));
        Assert.Equal("2", _fixture.ReadLive("foo/dev", "a"));
        Assert.Equal("../../releases/" + published.Release.Id, _fixture.LinkTarget("foo/dev"));

        Execute(Data, "DROP TRIGGER fail_history");
        _fixture.Reopen();

        Assert.Equal([published.Release.Id, first.Id], _fixture.Store.Releases(StoreFixture.Env("foo/dev")).Select(r => r.Id));
        Assert.Equal("2", _fixture.ReadLive("foo/dev", "a"));
    }

    [Fact]
    public async Task Recovery_DecidesFromWhatIsOnDiskOnceItHoldsTheLock()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        string? concurrent = null;
        var ghost = "20261125T000001Z-0badf00d";
        var recovery = new Spiro.Core.Releases.Recovery.StoreRecovery(_fixture.Store.Services)
        {
            BeforeLock = _ =>
            {
                if (concurrent is not null)
                {
                    return;
                }

                // After the snapshot, before the lock: another process publishes one release, and
                // another crashes after its manifest landed (never live).
                concurrent = _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" }).GetAwaiter().GetResult().Id;
                File.WriteAllText(Path.Combine(Data, "manifests", ghost + ".json"), File.ReadAllText(Path.Combine(Data, "manifests", first.Id + ".json")).Replace(first.Id, ghost, StringComparison.Ordinal));
            },
        };

        recovery.Run();

        Assert.Equal([concurrent!, first.Id], _fixture.Store.Releases(StoreFixture.Env("foo/dev")).Select(r => r.Id));
        Assert.True(Directory.Exists(Path.Combine(Data, "releases", concurrent!)));
        Assert.False(File.Exists(Path.Combine(Data, "manifests", ghost + ".json")));
    }

    internal static void Execute(string data, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "spiro.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
