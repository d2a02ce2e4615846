using Microsoft.Data.Sqlite;
using Spiro.Core.Releases;

using Spiro.Testing.Store;

namespace Spiro.Core.Tests.Releases;

/// <summary>Leftovers made by hand, as each crash point would leave them (the CLI tests kill real processes).</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string Data => _fixture.Data;

    [Fact]
    public async Task Open_RemovesStagingLeftoversAndTheirUnreferencedObjects()
    {
        var live = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var leftover = Path.Combine(Data, "staging/foo/dev/20261125T000000Z-deadbeef/tree/x");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "f"), "half");
        var orphanObject = Path.Combine(Data, "objects/ee", "ee" + new string('1', 62));
        Directory.CreateDirectory(Path.GetDirectoryName(orphanObject)!);
        File.WriteAllText(orphanObject, "adopted then crashed");
        File.CreateSymbolicLink(Path.Combine(Data, "envs/foo/.dev.20261125T000000Z-deadbeef.tmp"), "../../releases/20261125T000000Z-deadbeef");

        _fixture.Reopen();

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Data, "staging/foo/dev")));
        Assert.False(File.Exists(orphanObject));
        Assert.Equal(["dev"], Directory.EnumerateFileSystemEntries(Path.Combine(Data, "envs/foo")).Select(Path.GetFileName));
        Assert.Equal(live.Id, Assert.Single(_fixture.Store.Releases(StoreFixture.Env("foo/dev"))).Id);
        Assert.Equal("1", _fixture.ReadLive("foo/dev", "a"));
    }

    [Fact]
    public async Task Open_RemovesAReleaseThatNeverWentLive()
    {
        var live = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        // A crash after the tree and manifest landed but before the flip: same files under a new id, no pointer, no row.
        var ghost = "20261125T000001Z-0badf00d";
        CopyRelease(live.Id, ghost);

        _fixture.Reopen();

        Assert.False(Directory.Exists(Path.Combine(Data, "releases", ghost)));
        Assert.False(File.Exists(Path.Combine(Data, "manifests", ghost + ".json")));
        Assert.Equal("../../releases/" + live.Id, _fixture.LinkTarget("foo/dev"));
    }

    [Fact]
    public async Task Open_RemovesAManifestWhoseTreeNeverLanded()
    {
        var live = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var ghost = "20261125T000001Z-0badf00d";
        File.WriteAllText(Path.Combine(Data, "manifests", ghost + ".json"), File.ReadAllText(Path.Combine(Data, "manifests", live.Id + ".json")).Replace(live.Id, ghost, StringComparison.Ordinal));

        _fixture.Reopen();

        Assert.False(File.Exists(Path.Combine(Data, "manifests", ghost + ".json")));
        Assert.True(File.Exists(Path.Combine(Data, "manifests", live.Id + ".json")));
    }

    [Fact]
    public async Task Open_RecordsALiveReleaseWhoseHistoryRowWasNeverWritten()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var second = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });
        Execute($"DELETE FROM releases WHERE id = '{second.Id}'");

        _fixture.Reopen();

        Assert.Equal("2", _fixture.ReadLive("foo/dev", "a"));
        var releases = _fixture.Store.Releases(StoreFixture.Env("foo/dev"));
        Assert.Equal([second.Id, first.Id], releases.Select(r => r.Id));
        Assert.True(releases[0].Live);
        Assert.Equal("recover", _fixture.Store.History(StoreFixture.Env("foo/dev"))[^1].Action);
        Assert.Null(_fixture.Store.Audit.Verify());
    }

    [Fact]
    public async Task Open_FinishesAnInterruptedRemoval()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });
        // Retention crashed right after moving the tree out of releases/.
        Directory.CreateDirectory(Path.Combine(Data, "staging/foo/dev"));
        Spiro.Core.Releases.Layout.DurableFs.Rename(Path.Combine(Data, "releases", first.Id), Path.Combine(Data, "staging/foo/dev", first.Id + ".removing"));

        _fixture.Reopen();

        Assert.False(File.Exists(Path.Combine(Data, "manifests", first.Id + ".json")));
        Assert.DoesNotContain(_fixture.Store.Releases(StoreFixture.Env("foo/dev")), r => r.Id == first.Id);
    }

    [Fact]
    public async Task Open_DeletesTheManifestOfAReleaseMarkedRemoved()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });
        // Removal crashed after marking the row, before deleting the manifest.
        Spiro.Core.Releases.Layout.DurableFs.RemoveTree(Path.Combine(Data, "releases", first.Id));
        Execute($"UPDATE releases SET removed_at = '2026-11-25T00:00:00Z' WHERE id = '{first.Id}'");

        _fixture.Reopen();

        Assert.False(File.Exists(Path.Combine(Data, "manifests", first.Id + ".json")));
        Assert.Single(_fixture.Store.Releases(StoreFixture.Env("foo/dev")));
    }

    [Fact]
    public async Task Open_LeavesASaltEnvAloneWhileAnotherProcessHoldsItsLock()
    {
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var inFlight = Path.Combine(Data, "staging/foo/dev/20261125T000000Z-deadbeef/tree");
        Directory.CreateDirectory(inFlight);
        var lockFile = Path.Combine(Data, "locks/foo/dev.lock");
        using (OtherProcessLock.Hold(lockFile))
        {
            _fixture.Reopen();
        }

        Assert.True(Directory.Exists(inFlight));
    }

    private void CopyRelease(string from, string to)
    {
        StoreFixture.Run("cp", "-a", Path.Combine(Data, "releases", from), Path.Combine(Data, "releases", to));
        File.WriteAllText(Path.Combine(Data, "manifests", to + ".json"), File.ReadAllText(Path.Combine(Data, "manifests", from + ".json")).Replace(from, to, StringComparison.Ordinal));
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "spiro.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
