using Spiro.Core.Releases;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Tests.Releases;

public sealed class DeleteGcPromoteTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static PublishContext Admin => new("admin");

    private List<string> ObjectNames() =>
        Directory.EnumerateFiles(Path.Combine(_fixture.Data, "objects"), "*", SearchOption.AllDirectories).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Delete_RemovesPointerAndReleasesAndMarksHistory()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var second = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });

        var result = Assert.IsType<DeleteResult.Deleted>(await _fixture.Store.DeleteAsync(StoreFixture.Env("foo/dev"), Admin, CancellationToken.None));

        Assert.Equal(second.Id, result.WasLive);
        Assert.Equal([first.Id, second.Id], result.RemovedReleases);
        Assert.False(File.Exists(Path.Combine(_fixture.Data, "envs/foo/dev")));
        Assert.Null(new FileInfo(Path.Combine(_fixture.Data, "envs/foo/dev")).LinkTarget);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "releases")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "manifests")));
        Assert.Empty(_fixture.Store.Releases(StoreFixture.Env("foo/dev")));
        Assert.Equal("delete", _fixture.Store.History(StoreFixture.Env("foo/dev"))[^1].Action);
        Assert.Empty(ObjectNames());
        Assert.IsType<DeleteResult.NotFound>(await _fixture.Store.DeleteAsync(StoreFixture.Env("foo/dev"), Admin, CancellationToken.None));
    }

    [Fact]
    public async Task Gc_NeverRemovesAnObjectAKeptReleaseUses()
    {
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "kept", ["b*"] = "kept-exec" });
        var before = ObjectNames();
        var stray = Path.Combine(_fixture.Data, "objects", "ab", "ab" + new string('0', 62));
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        File.WriteAllText(stray, "nobody uses me");

        var dryRun = Assert.IsType<GcResult.Collected>(await _fixture.Store.CollectGarbageAsync(dryRun: true, "admin", CancellationToken.None));
        Assert.Equal([Path.Combine("objects", "ab", Path.GetFileName(stray))], dryRun.Objects);
        Assert.True(File.Exists(stray));

        var real = Assert.IsType<GcResult.Collected>(await _fixture.Store.CollectGarbageAsync(dryRun: false, "admin", CancellationToken.None));
        Assert.Equal(14, real.Bytes);
        Assert.False(File.Exists(stray));
        Assert.Equal(before, ObjectNames());
        Assert.Equal("kept", _fixture.ReadLive("foo/dev", "a"));
    }

    [Fact]
    public async Task Promote_AcrossProjects_IsRejected()
    {
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });

        var result = Assert.IsType<PromoteResult.Rejected>(await _fixture.Store.PromoteAsync(StoreFixture.Env("foo/dev"), StoreFixture.Env("bar/dev"), null, Admin, CancellationToken.None));

        Assert.Equal("cross-project", result.Rule);
        Assert.Empty(_fixture.Store.Releases(StoreFixture.Env("bar/dev")));
    }

    [Fact]
    public async Task Promote_WithOwnTopFile_SharesEveryInodeWithTheSource()
    {
        // A Jinja top file can speak for whichever saltenv renders it (a plain one only for its own, so it is not promotable).
        var source = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["top.sls"] = "{{ saltenv }}: {}", ["web/init.sls"] = "x", ["run*"] = "y" }, "c0ffee\n", TopKind.Kept);

        var result = Assert.IsType<PromoteResult.Promoted>(await _fixture.Store.PromoteAsync(StoreFixture.Env("foo/dev"), StoreFixture.Env("foo/prod"), null, Admin, CancellationToken.None));

        Assert.Equal(source.Id, result.SourceId);
        Assert.NotEqual(source.Id, result.Release.Id);
        Assert.Equal("promote", result.Release.How);
        Assert.Equal("c0ffee", result.Release.SourceCommit);
        foreach (var path in new[] { "top.sls", "web/init.sls", "run" })
        {
            Assert.Equal(
                StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", source.Id, path)).Inode,
                StoreFixture.Stat(Path.Combine(_fixture.Data, "envs/foo/prod", path)).Inode);
        }

        Assert.Equal(
            File.ReadAllText(Path.Combine(_fixture.Data, "manifests", source.Id + ".json")).Split("\"entries\"")[1],
            File.ReadAllText(Path.Combine(_fixture.Data, "manifests", result.Release.Id + ".json")).Split("\"entries\"")[1]);
    }

    [Fact]
    public async Task Promote_OfAnUnknownRelease_IsNotFound()
    {
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });

        Assert.IsType<PromoteResult.NotFound>(await _fixture.Store.PromoteAsync(StoreFixture.Env("foo/dev"), StoreFixture.Env("foo/prod"), "20200101T000000Z-00000000", Admin, CancellationToken.None));
        Assert.IsType<PromoteResult.NotFound>(await _fixture.Store.PromoteAsync(StoreFixture.Env("foo/qa"), StoreFixture.Env("foo/prod"), null, Admin, CancellationToken.None));
    }
}
