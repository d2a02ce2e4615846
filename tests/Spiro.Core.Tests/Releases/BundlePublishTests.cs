using Spiro.Core.Releases;
using Spiro.Testing.Tars;

namespace Spiro.Core.Tests.Releases;

public sealed class BundlePublishTests : IDisposable
{
    private const string Spirotop = "dev:\n  foo-dev:\n    - server\nprod:\n  foo-prod-www:\n    - server\n    - logging.prod\n";

    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private Task<PublishResult> Publish(string saltEnv, IReadOnlyDictionary<string, string> files) =>
        _fixture.Store.PublishAsync(StoreFixture.Env(saltEnv), TestTar.Stream(files), new PublishContext("token:ci"), CancellationToken.None);

    [Fact]
    public async Task Publish_BundleWithSpirotop_GeneratesTopFileForTheDeploymentAndListsIt()
    {
        var result = Assert.IsType<PublishResult.Published>(await Publish("foo/dev", new Dictionary<string, string>
        {
            ["spirotop.sls"] = Spirotop,
            ["server/init.sls"] = "nginx: pkg.installed",
            [".gitcommit"] = "abc123\nheads/main\n",
        }));

        var top = _fixture.ReadLive("foo/dev", "top.sls");
        Assert.Contains("foo/dev", top, StringComparison.Ordinal);
        Assert.Contains("foo-dev", top, StringComparison.Ordinal);
        Assert.DoesNotContain("foo-prod-www", top, StringComparison.Ordinal);
        Assert.Equal("abc123", result.Release.SourceCommit);
        Assert.Contains("\"path\":\"top.sls\"", File.ReadAllText(Path.Combine(_fixture.Data, "manifests", result.Release.Id + ".json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_InvalidSpirotop_IsRejectedWithPositionAndLiveReleaseUnchanged()
    {
        Assert.IsType<PublishResult.Published>(await Publish("foo/dev", new Dictionary<string, string> { ["a.sls"] = "v1" }));

        var result = Assert.IsType<PublishResult.Rejected>(await Publish("foo/dev", new Dictionary<string, string> { ["a.sls"] = "v2", ["spirotop.sls"] = "dev: [unclosed\n" }));

        Assert.Equal("top-file", result.Rule);
        Assert.Matches(@"^spirotop\.sls:\d+:\d+: ", result.Message);
        Assert.Equal("v1", _fixture.ReadLive("foo/dev", "a.sls"));
        Assert.Single(_fixture.Store.Releases(StoreFixture.Env("foo/dev")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "staging/foo/dev")));
        Assert.Equal("refused", _fixture.Store.Audit.Read()[^1].Outcome);
    }

    [Fact]
    public async Task Publish_UpperCaseTopNextToSpirotop_IsACaseCollisionWithTheGeneratedTop()
    {
        var result = Assert.IsType<PublishResult.Rejected>(await Publish("foo/dev", new Dictionary<string, string> { ["TOP.sls"] = "base: {'*': [x]}\n", ["spirotop.sls"] = Spirotop }));

        Assert.Equal("top-file", result.Rule);
        Assert.Equal("'TOP.sls' and the generated top.sls differ only in case: a minion caching the saltenv on macOS or Windows would merge them (rule case-collision)", result.Message);
        Assert.Null(_fixture.Store.LiveReleasePath(StoreFixture.Env("foo/dev")));
    }

    [Fact]
    public async Task Publish_KeptTopWithABaseSection_IsRejectedAndLiveReleaseUnchanged()
    {
        Assert.IsType<PublishResult.Published>(await Publish("foo/dev", new Dictionary<string, string> { ["a.sls"] = "v1" }));

        var result = Assert.IsType<PublishResult.Rejected>(await Publish("foo/dev", new Dictionary<string, string> { ["a.sls"] = "v2", ["top.sls"] = "base:\n  '*': [a]\n" }));

        Assert.EndsWith("it has a section 'base' (rule top-foreign-saltenv)", result.Message, StringComparison.Ordinal);
        Assert.Equal("v1", _fixture.ReadLive("foo/dev", "a.sls"));
    }

    [Fact]
    public async Task Promote_KeptTop_IsRejectedBecauseItSpeaksForTheSourceSaltenv()
    {
        Assert.IsType<PublishResult.Published>(await Publish("foo/dev", new Dictionary<string, string> { ["a.sls"] = "v1", ["top.sls"] = "'foo/dev':\n  '*': [a]\n" }));

        var result = await _fixture.Store.PromoteAsync(StoreFixture.Env("foo/dev"), StoreFixture.Env("foo/prod"), null, new PublishContext("token:ci"), CancellationToken.None);

        Assert.Contains("it has a section 'foo/dev' (rule top-foreign-saltenv)", Assert.IsType<PromoteResult.Rejected>(result).Message, StringComparison.Ordinal);
        Assert.Null(_fixture.Store.LiveReleasePath(StoreFixture.Env("foo/prod")));
    }

    [Fact]
    public async Task Publish_UnsafeBundle_IsRejectedAndNothingIsLeftBehind()
    {
        var result = Assert.IsType<PublishResult.Rejected>(await Publish("foo/dev", new Dictionary<string, string> { ["../escape.sls"] = "x" }));

        Assert.Contains("escape.sls", result.Message, StringComparison.Ordinal);
        Assert.Null(_fixture.Store.LiveReleasePath(StoreFixture.Env("foo/dev")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "releases")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "objects")));
    }

    [Fact]
    public async Task Promote_ReleaseWithGeneratedTop_RecompilesTheTopForTheTarget()
    {
        var source = Assert.IsType<PublishResult.Published>(await Publish("foo/dev", new Dictionary<string, string> { ["spirotop.sls"] = Spirotop, ["server/init.sls"] = "x" })).Release;

        var promoted = Assert.IsType<PromoteResult.Promoted>(await _fixture.Store.PromoteAsync(StoreFixture.Env("foo/dev"), StoreFixture.Env("foo/prod"), null, new PublishContext("cli:root"), CancellationToken.None));

        var top = _fixture.ReadLive("foo/prod", "top.sls");
        Assert.Contains("foo/prod", top, StringComparison.Ordinal);
        Assert.Contains("logging.prod", top, StringComparison.Ordinal);
        Assert.DoesNotContain("foo-dev", top, StringComparison.Ordinal);
        Assert.Equal(
            StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", source.Id, "server/init.sls")).Inode,
            StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", promoted.Release.Id, "server/init.sls")).Inode);
        Assert.Contains("foo-dev", _fixture.ReadLive("foo/dev", "top.sls"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_Same100MegabyteArtifactInTwoReleases_AddsNoSecondCopy()
    {
        var artifact = Path.Combine(_fixture.Root, "artifact.bin");
        TestBundles.WriteGeneratedFile(artifact, 100L << 20, seed: 7);
        var bundle1 = Path.Combine(_fixture.Root, "b1.tar");
        var bundle2 = Path.Combine(_fixture.Root, "b2.tar");
        TestBundles.WriteTarFile(bundle1, new Dictionary<string, string> { ["init.sls"] = "v1" }, new Dictionary<string, string> { ["_artifacts/app.bin"] = artifact });
        TestBundles.WriteTarFile(bundle2, new Dictionary<string, string> { ["init.sls"] = "v2" }, new Dictionary<string, string> { ["_artifacts/app.bin"] = artifact });

        ReleaseInfo first, second;
        await using (var stream = File.OpenRead(bundle1))
        {
            first = Assert.IsType<PublishResult.Published>(await _fixture.Store.PublishAsync(StoreFixture.Env("foo/dev"), stream, new PublishContext("ci"), CancellationToken.None)).Release;
        }

        var usedAfterFirst = DiskUse(_fixture.Data);
        await using (var stream = File.OpenRead(bundle2))
        {
            second = Assert.IsType<PublishResult.Published>(await _fixture.Store.PublishAsync(StoreFixture.Env("foo/dev"), stream, new PublishContext("ci"), CancellationToken.None)).Release;
        }

        var a = StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", first.Id, "_artifacts/app.bin"));
        var b = StoreFixture.Stat(Path.Combine(_fixture.Data, "releases", second.Id, "_artifacts/app.bin"));
        Assert.Equal(a.Inode, b.Inode);
        Assert.Equal(3, b.Links);
        Assert.True(DiskUse(_fixture.Data) - usedAfterFirst < (1L << 20), "the second release grew the store by a megabyte or more");
    }

    /// <summary>du counts each inode once per run: hard links cost nothing.</summary>
    private static long DiskUse(string directory) =>
        long.Parse(StoreFixture.Run("du", "-s", "--block-size=1", directory).Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
}
