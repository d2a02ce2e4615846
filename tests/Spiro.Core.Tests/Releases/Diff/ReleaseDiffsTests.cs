using System.Text;
using Spiro.Core.Releases.Contents;
using Spiro.Core.Releases.Diff;

namespace Spiro.Core.Tests.Releases.Diff;

/// <summary>The one diff format (docs/api.md "Release diff") on literal releases.</summary>
public sealed class ReleaseDiffsTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Create_ReportsAddedRemovedChangedModeBinaryAndTheLimits()
    {
        var before = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string>
        {
            ["top.sls"] = "'foo/dev':\n  '*':\n    - web\n",
            ["gone.sls"] = "x: 1\n",
            ["web/init.sls"] = "a\nb\nc\n",
            ["second.sls"] = "one\n",
            ["run.sh"] = "#!/bin/sh\n",
            ["blob.bin"] = "\0\u0001",
            ["big.txt"] = new string('x', 100),
        });
        var after = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string>
        {
            ["top.sls"] = "'foo/dev':\n  'web*':\n    - web\n",
            ["new.sls"] = "y: 2\n",
            ["web/init.sls"] = "a\nB\nc\n",
            ["second.sls"] = "two\n",
            ["run.sh*"] = "#!/bin/sh\n",
            ["blob.bin"] = "\0\u0002",
            ["big.txt"] = new string('y', 100),
        });

        var diff = ReleaseDiffs.Create(new ReleaseContents(_fixture.Store), before, after, new DiffLimits { MaxTextBytes = 64, MaxTextDiffs = 3 });

        Assert.Equal((before.Id, after.Id, "foo/dev"), (diff.From, diff.To, diff.SaltEnv));
        Assert.Equal((1, 1, 6), (diff.Added, diff.Removed, diff.Changed));
        var files = diff.Files.ToDictionary(f => f.Path);
        Assert.Equal(["big.txt", "blob.bin", "gone.sls", "new.sls", "run.sh", "second.sls", "top.sls", "web/init.sls"], diff.Files.Select(f => f.Path));
        Assert.Equal("added", files["new.sls"].Change);
        Assert.Null(files["new.sls"].Before);
        Assert.Equal(new Protocol.Plans.DiffSide(5, Sha("y: 2\n"), "0444"), files["new.sls"].After);
        Assert.Equal("removed", files["gone.sls"].Change);
        Assert.Null(files["gone.sls"].After);
        Assert.Equal(("0444", "0555"), (files["run.sh"].Before!.Mode, files["run.sh"].After!.Mode));
        Assert.Equal("only the executable bit changed", files["run.sh"].Omitted);
        Assert.Equal("binary content", files["blob.bin"].Omitted);
        Assert.Null(files["blob.bin"].Unified);
        Assert.Equal("larger than 64 bytes", files["big.txt"].Omitted);

        // Text diffs in path order until the limit (run.sh's mode-only change counts): web/init.sls is only listed.
        Assert.Equal($"--- {before.Id}/second.sls\n+++ {after.Id}/second.sls\n@@ -1 +1 @@\n-one\n+two\n", files["second.sls"].Unified);
        Assert.Contains("-  '*':\n+  'web*':\n", files["top.sls"].Unified, StringComparison.Ordinal);
        Assert.Equal("only the first 3 changed files are diffed", files["web/init.sls"].Omitted);
        Assert.Equal("'foo/dev':\n  '*':\n    - web\n", diff.TopBefore);
        Assert.Equal("'foo/dev':\n  'web*':\n    - web\n", diff.TopAfter);
    }

    [Fact]
    public async Task Create_AgainstNoRelease_AddsEveryFileAndHasNoTopBefore()
    {
        var only = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a.sls"] = "a: 1\n" });

        var diff = ReleaseDiffs.Create(new ReleaseContents(_fixture.Store), null, only, new DiffLimits());

        Assert.Null(diff.From);
        Assert.Equal((1, 0, 0), (diff.Added, diff.Removed, diff.Changed));
        Assert.Null(diff.TopBefore);
        Assert.Null(diff.TopAfter);
    }

    [Fact]
    public async Task ReleasePair_Defaults_AreTheReleaseBeforeTheLiveOneAndTheLiveOne()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a.sls"] = "a: 1\n" });
        var second = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a.sls"] = "a: 2\n" });
        var third = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a.sls"] = "a: 3\n" });
        var contents = new ReleaseContents(_fixture.Store);
        var env = StoreFixture.Env("foo/dev");

        var defaults = ReleasePair.Resolve(contents, _fixture.Store, env, null, null);
        var named = ReleasePair.Resolve(contents, _fixture.Store, env, first.Id, second.Id);
        var onlyTo = ReleasePair.Resolve(contents, _fixture.Store, env, null, second.Id);
        var unknown = ReleasePair.Resolve(contents, _fixture.Store, env, "20000101T000000Z-00000000", null);

        Assert.Equal((second.Id, third.Id), (defaults.From?.Id, defaults.To?.Id));
        Assert.Equal((first.Id, second.Id), (named.From?.Id, named.To?.Id));
        Assert.Equal((first.Id, second.Id), (onlyTo.From?.Id, onlyTo.To?.Id));
        Assert.Contains("is not a kept release or a pending plan of foo/dev", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("has no live release", ReleasePair.Resolve(contents, _fixture.Store, StoreFixture.Env("foo/none"), null, null).Error, StringComparison.Ordinal);
    }

    private static string Sha(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
