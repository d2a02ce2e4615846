using System.Text.Json;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Tests.Releases;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PublishTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Publish_FirstRelease_PointsTheEnvSymlinkAtTheReleaseByRelativePath()
    {
        var release = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["web/init.sls"] = "nginx: pkg.installed" });

        Assert.Matches(@"^\d{8}T\d{6}Z-[0-9a-f]{8}$", release.Id);
        Assert.Equal("../../releases/" + release.Id, _fixture.LinkTarget("foo/dev"));
        Assert.Equal("nginx: pkg.installed", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.True(release.Live);
        Assert.Equal(1, release.FileCount);
    }

    [Fact]
    public async Task Publish_WritesManifestOutsideTheTreeInTheContractShape()
    {
        var release = await _fixture.PublishAsync(
            "foo/dev",
            new Dictionary<string, string> { ["web/init.sls"] = "a", ["bin/run.sh*"] = "#!/bin/sh", ["top.sls"] = "base: {}" },
            "0123abcd\nheads/main\n",
            TopKind.Kept,
            "web/empty");

        var manifestPath = Path.Combine(_fixture.Data, "manifests", release.Id + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("format").GetInt32());
        Assert.Equal(release.Id, root.GetProperty("release").GetString());
        Assert.Equal("foo/dev", root.GetProperty("saltenv").GetString());
        Assert.Equal("0123abcd", root.GetProperty("source_commit").GetString());
        var entries = root.GetProperty("entries").EnumerateArray()
            .Select(e => $"{e.GetProperty("path").GetString()} {e.GetProperty("kind").GetString()} {e.GetProperty("mode").GetInt32()}")
            .ToList();
        Assert.Equal(
            ["bin dir 365", "bin/run.sh file 365", "top.sls file 292", "web dir 365", "web/empty emptydir 365", "web/init.sls file 292"],
            entries);
        Assert.False(File.Exists(Path.Combine(_fixture.Data, "releases", release.Id, "manifest.json")));
        Assert.Equal("0123abcd", release.SourceCommit);
    }

    [Fact]
    public async Task Publish_MakesFilesAndDirectoriesReadOnly()
    {
        var release = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a/b.sls"] = "x", ["run*"] = "y" });
        var tree = Path.Combine(_fixture.Data, "releases", release.Id);

        Assert.Equal((UnixFileMode)0b100_100_100, File.GetUnixFileMode(Path.Combine(tree, "a/b.sls")));
        Assert.Equal((UnixFileMode)0b101_101_101, File.GetUnixFileMode(Path.Combine(tree, "run")));
        Assert.Equal((UnixFileMode)0b101_101_101, File.GetUnixFileMode(Path.Combine(tree, "a")));
        Assert.Equal((UnixFileMode)0b101_101_101, File.GetUnixFileMode(tree));
    }

    [Fact]
    public async Task Publish_SecondRelease_SwitchesPointerAndKeepsBothInHistory()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "one" });
        var second = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "two" });

        Assert.Equal("two", _fixture.ReadLive("foo/dev", "init.sls"));
        var releases = _fixture.Store.Releases(StoreFixture.Env("foo/dev"));
        Assert.Equal([second.Id, first.Id], releases.Select(r => r.Id));
        Assert.Equal([true, false], releases.Select(r => r.Live));
        Assert.Equal(["deploy", "deploy"], _fixture.Store.History(StoreFixture.Env("foo/dev")).Select(h => h.Action));
        Assert.Null(_fixture.Store.Audit.Verify());
        Assert.Equal(2, _fixture.Store.Audit.Read().Count(a => a.Action == "deploy" && a.Outcome == "ok"));
    }

    [Fact]
    public async Task Publish_SameContentTwice_StoresItOnce()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a.sls"] = "same", ["b.sls"] = "v1" });
        var second = await _fixture.PublishAsync("foo/prod", new Dictionary<string, string> { ["a.sls"] = "same", ["b.sls"] = "v2" });

        var a1 = StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", first.Id, "a.sls"));
        var a2 = StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", second.Id, "a.sls"));
        var b2 = StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", second.Id, "b.sls"));
        Assert.Equal(a1.Inode, a2.Inode);
        Assert.Equal(3, a2.Links); // the object plus two release trees
        Assert.Equal(2, b2.Links);
    }

    [Fact]
    public async Task Deployments_ListsEverySaltEnvWithItsLiveRelease()
    {
        var dev = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var prod = await _fixture.PublishAsync("foo/prod", new Dictionary<string, string> { ["a"] = "2" });

        var deployments = _fixture.Store.Deployments();

        Assert.Equal(["foo/dev " + dev.Id, "foo/prod " + prod.Id], deployments.Select(d => $"{d.SaltEnv} {d.LiveRelease}"));
        Assert.All(deployments, d => Assert.Equal("test", d.PublishedBy));
    }
}
