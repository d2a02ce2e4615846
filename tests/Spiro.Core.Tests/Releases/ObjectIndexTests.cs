using System.Security.Cryptography;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Objects;
using Spiro.Core.Tests.Releases.Deltas;
using Spiro.Testing.Tars;

namespace Spiro.Core.Tests.Releases;

/// <summary>
/// The index that lets the bundle reader skip its link probe for content the store certainly lacks
/// (ObjectIndex): it never hides an object it was told of or scanned, a stale index costs a write and
/// never a wrong release, and a negotiated upload's references never consult it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ObjectIndexTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ObjectStore Objects => _fixture.Store.Services.Objects;

    private static string RandomSha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string> Files(string tag, int count) =>
        Enumerable.Range(0, count).ToDictionary(i => $"states/{tag}{i}.sls", i => $"{tag}: {i}\n");

    private static async Task<ReleaseInfo> Publish(ReleaseStore store, string saltEnv, IReadOnlyDictionary<string, string> files) =>
        Assert.IsType<PublishResult.Published>(await store.PublishAsync(StoreFixture.Env(saltEnv), TestTar.Stream(files), new PublishContext("ci"), CancellationToken.None)).Release;

    /// <summary>Starts the index (as a publish does) and waits until its scan is done.</summary>
    private async Task BuildIndex()
    {
        Assert.True(Objects.MayHoldAny());
        await Objects.Index.Built;
    }

    [Fact]
    public async Task Index_KnowsScannedAndAddedObjects_AndRulesOutNearlyAllOthers()
    {
        var objects = Path.Combine(_fixture.Root, "objects");
        var scanned = Enumerable.Range(0, 300).Select(_ => RandomSha()).ToList();
        foreach (var sha in scanned)
        {
            Directory.CreateDirectory(Path.Combine(objects, sha[..2]));
            await File.WriteAllTextAsync(Path.Combine(objects, sha[..2], sha + ".x"), "");
        }

        var index = new ObjectIndex(objects);
        var unscanned = RandomSha();
        Assert.True(index.MayContain(unscanned, false), "an index not built yet must answer 'maybe'");

        index.Refresh();
        await index.Built;
        var added = RandomSha();
        index.Add(added, executable: false);

        Assert.All(scanned, sha => Assert.True(index.MayContain(sha, executable: true)));
        Assert.True(index.MayContain(added, executable: false));
        var strangers = Enumerable.Range(0, 5000).Select(_ => RandomSha()).Concat(scanned.Select(s => s[..^1] + (s[^1] == '0' ? '1' : '0'))).ToList();
        var falseMaybes = strangers.Count(sha => index.MayContain(sha, false));
        Assert.True(falseMaybes < strangers.Count / 100, $"{falseMaybes} of {strangers.Count} absent objects answered 'maybe'");
        Assert.True(scanned.Count(sha => index.MayContain(sha, executable: false)) < 10, "the exec bit is part of an object's name");
        Assert.True(index.MayContain("NOT-A-SHA", false), "a name it cannot hash is left to the file system");
    }

    [Fact]
    public async Task FirstPublishOfNewContent_WithTheIndexBuilt_AsksTheFileSystemNothing()
    {
        await Publish(_fixture.Store, "foo/dev", Files("a", 30));
        await BuildIndex();
        var (skipped, linked) = (Objects.ProbesSkipped, Objects.LinkedExisting);

        await Publish(_fixture.Store, "foo/other", Files("b", 30));
        var again = await Publish(_fixture.Store, "foo/third", Files("a", 30));

        Assert.Equal(30, Objects.ProbesSkipped - skipped);
        // The contents adopted by the first publish (before the scan) and by the second (added) are linked, not written.
        Assert.Equal(30, Objects.LinkedExisting - linked);
        Assert.Equal("a: 7\n", _fixture.ReadLive("foo/third", "states/a7.sls"));
        Assert.Equal(StoreFixture.Stat(Objects.PathFor(DeltaTars.Sha("b: 3\n"), false)).Inode, StoreFixture.Stat(Path.Combine(_fixture.Data, "envs/foo/other/states/b3.sls")).Inode);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task ObjectAddedByAnotherProcess_IsWrittenAgainThenDeduplicated_NeverMissing()
    {
        await Publish(_fixture.Store, "foo/dev", Files("a", 5));
        await BuildIndex();
        var other = ReleaseStore.Open(_fixture.Options, TimeProvider.System);
        await Publish(other, "foo/other", Files("c", 5));
        var linked = Objects.LinkedExisting;

        await Publish(_fixture.Store, "foo/dev", Files("c", 5));

        Assert.Equal(linked, Objects.LinkedExisting);
        Assert.Equal("c: 2\n", _fixture.ReadLive("foo/dev", "states/c2.sls"));
        Assert.Equal(
            StoreFixture.Stat(Path.Combine(_fixture.Data, "envs/foo/other/states/c2.sls")).Inode,
            StoreFixture.Stat(Path.Combine(_fixture.Data, "envs/foo/dev/states/c2.sls")).Inode);
    }

    [Fact]
    public async Task NegotiatedUpload_ReferencingAnObjectTheIndexHasNotSeen_Publishes()
    {
        await Publish(_fixture.Store, "foo/dev", Files("a", 5));
        await BuildIndex();
        var other = ReleaseStore.Open(_fixture.Options, TimeProvider.System);
        var files = new Dictionary<string, string> { ["init.sls"] = "seen: elsewhere\n", ["new.sls"] = "new: 1\n" };
        var elsewhere = DeltaTars.Bundle(files);
        var otherPlan = DeltaTars.Plan(elsewhere);
        Assert.IsType<PublishResult.Published>(await other.PublishPlannedAsync(StoreFixture.Env("foo/other"), otherPlan, DeltaTars.Upload(elsewhere, other.MissingContent("foo", otherPlan)), new PublishContext("ci"), CancellationToken.None));
        Assert.False(Objects.Index.MayContain(DeltaTars.Sha("seen: elsewhere\n"), false), "the index should not know the other process's object (else this test proves nothing)");

        var plan = DeltaTars.Plan(elsewhere);
        var missing = _fixture.Store.MissingContent("foo", plan);
        var result = await _fixture.Store.PublishPlannedAsync(StoreFixture.Env("foo/dev"), plan, DeltaTars.Upload(elsewhere, missing), new PublishContext("ci"), CancellationToken.None);

        Assert.Empty(missing);
        Assert.IsType<PublishResult.Published>(result);
        Assert.Equal("seen: elsewhere\n", _fixture.ReadLive("foo/dev", "init.sls"));
    }
}
