using Spiro.Core.Releases;

namespace Spiro.Core.Tests.Releases;

public sealed class RollbackAndRetentionTests : IDisposable
{
    private readonly StoreFixture _fixture = new(keepReleases: 3);

    public void Dispose() => _fixture.Dispose();

    private static Dictionary<string, string> Files(string version) => new() { ["init.sls"] = version, ["shared.sls"] = "same" };

    private Task<RollbackResult> Rollback(string saltEnv, string? to = null) =>
        _fixture.Store.RollbackAsync(StoreFixture.Env(saltEnv), to, new PublishContext("admin"), CancellationToken.None);

    [Fact]
    public async Task Rollback_WithoutTarget_SwitchesToThePreviousReleaseByPointerOnly()
    {
        var first = await _fixture.PublishAsync("foo/dev", Files("v1"));
        var second = await _fixture.PublishAsync("foo/dev", Files("v2"));

        var result = Assert.IsType<RollbackResult.RolledBack>(await Rollback("foo/dev"));

        Assert.Equal(first.Id, result.Release.Id);
        Assert.Equal(second.Id, result.Previous);
        Assert.Equal("v1", _fixture.ReadLive("foo/dev", "init.sls"));
        Assert.True(Directory.Exists(Path.Combine(_fixture.Data, "releases", second.Id)));
        Assert.Equal(["deploy", "deploy", "rollback"], _fixture.Store.History(StoreFixture.Env("foo/dev")).Select(h => h.Action));
        Assert.Equal([false, true], _fixture.Store.Releases(StoreFixture.Env("foo/dev")).Select(r => r.Live));
    }

    [Fact]
    public async Task Rollback_ToAGivenRelease_MakesItLive()
    {
        var first = await _fixture.PublishAsync("foo/dev", Files("v1"));
        await _fixture.PublishAsync("foo/dev", Files("v2"));
        await _fixture.PublishAsync("foo/dev", Files("v3"));

        Assert.IsType<RollbackResult.RolledBack>(await Rollback("foo/dev", first.Id));

        Assert.Equal("v1", _fixture.ReadLive("foo/dev", "init.sls"));
    }

    [Fact]
    public async Task Rollback_ToAReleaseOfAnotherSaltEnv_IsNotFoundAndChangesNothing()
    {
        var other = await _fixture.PublishAsync("foo/prod", Files("p"));
        await _fixture.PublishAsync("foo/dev", Files("v1"));

        var result = Assert.IsType<RollbackResult.NotFound>(await Rollback("foo/dev", other.Id));

        Assert.Contains(other.Id, result.Message, StringComparison.Ordinal);
        Assert.Equal("v1", _fixture.ReadLive("foo/dev", "init.sls"));
    }

    [Fact]
    public async Task Rollback_OfTheOnlyRelease_IsNotFound()
    {
        await _fixture.PublishAsync("foo/dev", Files("v1"));

        Assert.IsType<RollbackResult.NotFound>(await Rollback("foo/dev"));
    }

    [Fact]
    public async Task Rollback_OfAnUnknownSaltEnv_SaysUnknown()
    {
        var result = Assert.IsType<RollbackResult.NotFound>(await Rollback("nope/dev"));

        Assert.Contains("unknown saltenv nope/dev", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_PastKeepReleases_RemovesOldestTreesAndManifestsButKeepsLive()
    {
        var ids = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add((await _fixture.PublishAsync("foo/dev", Files($"v{i}"))).Id);
        }

        await Rollback("foo/dev", ids[0]);
        ids.Add((await _fixture.PublishAsync("foo/dev", Files("v4"))).Id);
        ids.Add((await _fixture.PublishAsync("foo/dev", Files("v5"))).Id);

        // Keep 3 newest (v3, v4, v5); v1 went live by rollback before v4 and v5, so only v2 is gone.
        Assert.Equal([ids[4], ids[3], ids[2]], _fixture.Store.Releases(StoreFixture.Env("foo/dev")).Select(r => r.Id));
        Assert.False(Directory.Exists(Path.Combine(_fixture.Data, "releases", ids[1])));
        Assert.False(File.Exists(Path.Combine(_fixture.Data, "manifests", ids[1] + ".json")));
        Assert.False(Directory.Exists(Path.Combine(_fixture.Data, "releases", ids[0])));
    }

    [Fact]
    public async Task Retention_CollectsObjectsOnlyRemovedReleasesUsed()
    {
        var old = await _fixture.PublishAsync("foo/dev", Files("unique-to-v1"));
        for (var i = 2; i <= 4; i++)
        {
            await _fixture.PublishAsync("foo/dev", Files($"v{i}"));
        }

        var objects = Directory.EnumerateFiles(Path.Combine(_fixture.Data, "objects"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.False(Directory.Exists(Path.Combine(_fixture.Data, "releases", old.Id)));
        Assert.Equal(4, objects.Count); // v2, v3, v4 and the shared file
        foreach (var release in _fixture.Store.Releases(StoreFixture.Env("foo/dev")))
        {
            Assert.Equal("same", File.ReadAllText(Path.Combine(_fixture.Data, "releases", release.Id, "shared.sls")));
        }
    }
}
