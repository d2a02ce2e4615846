using System.Security.Cryptography;
using System.Text;
using Spiro.Core.Bundles;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Objects;
using Spiro.Testing.Tars;

namespace Spiro.Core.Tests.Releases;

/// <summary>A redeploy that changes only states writes only the changed files: the rest are linked from objects while the bundle streams in.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DedupPublishTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ObjectStore Objects => _fixture.Store.Services.Objects;

    private async Task<ReleaseInfo> Publish(IReadOnlyDictionary<string, string> files) =>
        Assert.IsType<PublishResult.Published>(await _fixture.Store.PublishAsync(StoreFixture.Env("foo/dev"), TestTar.Stream(files), new PublishContext("ci"), CancellationToken.None)).Release;

    private string InRelease(ReleaseInfo release, string path) => Path.Combine(_fixture.Data, "releases", release.Id, path);

    private static Dictionary<string, string> Bundle(string changedState)
    {
        var files = new Dictionary<string, string> { ["changed/init.sls"] = changedState, ["bin/tool.sh*"] = "#!/bin/sh\necho hi\n" };
        for (var i = 0; i < 20; i++)
        {
            files[$"states/s{i}.sls"] = $"state {i}: pkg.installed\n";
            files[$"_artifacts/a{i}.bin"] = new string((char)('a' + i), 10_000 + i);
        }

        return files;
    }

    [Fact]
    public async Task Redeploy_WithOneStateChanged_LinksEveryOtherFileFromObjectsAndWritesOnlyThatState()
    {
        var first = await Publish(Bundle("v1"));
        var (linkedBefore, writtenBefore) = (Objects.LinkedExisting, Objects.UnknownContent);

        var second = await Publish(Bundle("v2"));

        var unchanged = Bundle("v2").Keys.Select(k => k.TrimEnd('*')).Where(p => p != "changed/init.sls").ToList();
        Assert.Equal(41, unchanged.Count);
        Assert.Equal(unchanged.Count, Objects.LinkedExisting - linkedBefore);
        Assert.Equal(1, Objects.UnknownContent - writtenBefore);
        foreach (var path in unchanged)
        {
            Assert.Equal(StoreFixture.Stat(InRelease(first, path)).Inode, StoreFixture.Stat(InRelease(second, path)).Inode);
        }

        Assert.NotEqual(StoreFixture.Stat(InRelease(first, "changed/init.sls")).Inode, StoreFixture.Stat(InRelease(second, "changed/init.sls")).Inode);
        Assert.Equal("v2", _fixture.ReadLive("foo/dev", "changed/init.sls"));
        Assert.Equal((UnixFileMode)0b101_101_101, File.GetUnixFileMode(InRelease(second, "bin/tool.sh")));
        Assert.Equal((UnixFileMode)0b100_100_100, File.GetUnixFileMode(InRelease(second, "states/s3.sls")));
        // Two releases and the object: nothing is left linked from staging.
        Assert.Equal(3, StoreFixture.Stat(InRelease(second, "states/s3.sls")).Links);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "staging/foo/dev")));
    }

    [Fact]
    public async Task GarbageCollection_WhileARedeployIsStillStreaming_WaitsForIt_SoAnObjectLinkedIntoStagingCannotVanish()
    {
        using var fixture = new StoreFixture(lockTimeout: TimeSpan.FromMilliseconds(300));
        var env = StoreFixture.Env("foo/dev");
        Assert.IsType<PublishResult.Published>(await fixture.Store.PublishAsync(env, TestTar.Stream(Bundle("v1")), new PublishContext("ci"), CancellationToken.None));
        var bytes = TestTar.Stream(Bundle("v2")).ToArray();
        // Room for the whole bundle: the first half goes in before anything reads it.
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 2L * bytes.Length, resumeWriterThreshold: bytes.Length));
        await pipe.Writer.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        var publish = fixture.Store.PublishAsync(env, pipe.Reader.AsStream(), new PublishContext("ci"), CancellationToken.None);
        var staging = Path.Combine(fixture.Data, "staging/foo/dev");
        while (!Directory.Exists(staging) || !Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Any())
        {
            await Task.Delay(10);
        }

        var collected = await fixture.Store.CollectGarbageAsync(dryRun: false, "admin", CancellationToken.None);
        await pipe.Writer.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        await pipe.Writer.CompleteAsync();
        var second = Assert.IsType<PublishResult.Published>(await publish).Release;

        Assert.IsType<GcResult.Locked>(collected);
        Assert.Equal("v2", fixture.ReadLive("foo/dev", "changed/init.sls"));
        // Linked from objects during extraction and not adopted again: still the object (two releases and the object).
        Assert.Equal(3, StoreFixture.Stat(Path.Combine(fixture.Data, "releases", second.Id, "states/s3.sls")).Links);
    }

    [Fact]
    public async Task Redeploy_WithArtifactAboveTheSmallFileLimit_StreamsItAndStillSharesTheObject()
    {
        var big = new string('z', BundleExtraction.SmallFileBytes + 1);
        var first = await Publish(new Dictionary<string, string> { ["init.sls"] = "v1", ["_artifacts/big.bin"] = big });
        var (linkedBefore, writtenBefore) = (Objects.LinkedExisting, Objects.UnknownContent);

        var second = await Publish(new Dictionary<string, string> { ["init.sls"] = "v2", ["_artifacts/big.bin"] = big });

        Assert.Equal(0, Objects.LinkedExisting - linkedBefore);
        Assert.Equal(1, Objects.UnknownContent - writtenBefore);
        Assert.Equal(StoreFixture.Stat(InRelease(first, "_artifacts/big.bin")).Inode, StoreFixture.Stat(InRelease(second, "_artifacts/big.bin")).Inode);
        Assert.Equal(big, _fixture.ReadLive("foo/dev", "_artifacts/big.bin"));
    }

    [Fact]
    public async Task Redeploy_RejectedAfterSomeFilesWereLinked_LeavesEveryObjectUnchangedAndStagingRemoved()
    {
        var first = await Publish(new Dictionary<string, string> { ["a.sls"] = "a", ["bin/run.sh*"] = "#!/bin/sh\n" });
        var before = ObjectsSnapshot();
        var linkedBefore = Objects.LinkedExisting;

        var result = await _fixture.Store.PublishAsync(
            StoreFixture.Env("foo/dev"),
            TestTar.Stream(new Dictionary<string, string> { ["a.sls"] = "a", ["bin/run.sh*"] = "#!/bin/sh\n", ["new.sls"] = "new", ["../escape.sls"] = "x" }),
            new PublishContext("ci"),
            CancellationToken.None);

        Assert.Equal(BundleRules.DotDot, Assert.IsType<PublishResult.Rejected>(result).Rule);
        Assert.Equal(2, Objects.LinkedExisting - linkedBefore);
        Assert.Equal(before, ObjectsSnapshot());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "staging/foo/dev")));
        Assert.Equal(first.Id, Assert.Single(_fixture.Store.Releases(StoreFixture.Env("foo/dev"))).Id);
    }

    [Fact]
    public void Adopt_StagedFileThatIsAlreadyTheObject_KeepsItsInode()
    {
        var (staged, sha) = Stage("content", "first");
        Assert.Equal(AdoptOutcome.Added, Objects.Adopt(staged, sha, executable: false));
        var linked = StagingPath("second");

        Assert.True(Objects.TryLinkExisting(sha, executable: false, linked));
        var inode = StoreFixture.Stat(linked).Inode;

        Assert.Equal(AdoptOutcome.Reused, Objects.Adopt(linked, sha, executable: false));
        Assert.Equal(inode, StoreFixture.Stat(linked).Inode);
        Assert.Equal(inode, StoreFixture.Stat(Objects.PathFor(sha, executable: false)).Inode);
        Assert.False(Objects.TryLinkExisting(sha, executable: true, StagingPath("third")));
        Assert.False(File.Exists(StagingPath("third")));
    }

    [Fact]
    public void Adopt_ObjectCollectedBetweenLinkAndAdoption_IsAddedBackFromTheStagedLink()
    {
        var (staged, sha) = Stage("content", "first");
        Objects.Adopt(staged, sha, executable: false);
        var linked = StagingPath("second");
        Assert.True(Objects.TryLinkExisting(sha, executable: false, linked));
        File.Delete(staged);

        // What garbage collection does to an object no manifest references.
        File.Delete(Objects.PathFor(sha, executable: false));

        Assert.Equal(AdoptOutcome.Added, Objects.Adopt(linked, sha, executable: false));
        Assert.Equal("content", File.ReadAllText(Objects.PathFor(sha, executable: false)));
        Assert.Equal(StoreFixture.Stat(linked).Inode, StoreFixture.Stat(Objects.PathFor(sha, executable: false)).Inode);
    }

    private string StagingPath(string name)
    {
        var directory = Path.Combine(_fixture.Data, "staging", "dedup-test");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private (string Path, string Sha256) Stage(string content, string name)
    {
        var path = StagingPath(name);
        File.WriteAllText(path, content);
        return (path, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))));
    }

    private List<(string Path, long Inode, int Links, string Content)> ObjectsSnapshot() =>
        [.. Directory.EnumerateFiles(Path.Combine(_fixture.Data, "objects"), "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => (f, StoreFixture.Stat(f).Inode, StoreFixture.Stat(f).Links, File.ReadAllText(f)))];
}
