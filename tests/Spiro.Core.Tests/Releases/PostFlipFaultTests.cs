using Spiro.Core.Releases;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Tests.Releases;

/// <summary>After the symlink flip the release is live: whatever fails in the bookkeeping is a warning, never a failed result.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostFlipFaultTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    public static TheoryData<string> Faults => ["invalid-operation", "cancelled"];

    private static Exception Fault(string kind) => kind == "cancelled"
        ? new OperationCanceledException("cancelled after the flip (simulated)")
        : new InvalidOperationException("clock broke after the flip (simulated)");

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Publish_WhenBookkeepingThrowsAnyExceptionAfterTheFlip_IsPublishedWithWarnings(string kind)
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var clock = new FlipTriggeredClock(Path.Combine(_fixture.Data, "envs/foo/dev"), () => Fault(kind));
        var store = ReleaseStore.Open(_fixture.Options, clock);
        var (tree, entries) = _fixture.WriteTree(new Dictionary<string, byte[]> { ["a"] = "2"u8.ToArray() });

        var result = await store.PublishExtractedAsync(StoreFixture.Env("foo/dev"), tree, entries, null, TopKind.None, new PublishContext("test"), CancellationToken.None);

        var published = Assert.IsType<PublishResult.Published>(result);
        Assert.True(clock.Faults > 0);
        Assert.Contains(published.Warnings, w => w.Contains("recording the release in history", StringComparison.Ordinal) && w.Contains("(simulated)", StringComparison.Ordinal));
        Assert.Contains(published.Warnings, w => w.Contains("writing the audit row", StringComparison.Ordinal));
        Assert.Equal("2", _fixture.ReadLive("foo/dev", "a"));

        _fixture.Reopen();
        Assert.Equal([published.Release.Id, first.Id], _fixture.Store.Releases(StoreFixture.Env("foo/dev")).Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Promote_WhenBookkeepingThrowsAnyExceptionAfterTheFlip_IsPromotedWithWarnings(string kind)
    {
        var source = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var clock = new FlipTriggeredClock(Path.Combine(_fixture.Data, "envs/foo/prod"), () => Fault(kind));
        var store = ReleaseStore.Open(_fixture.Options, clock);

        var result = await store.PromoteAsync(StoreFixture.Env("foo/dev"), StoreFixture.Env("foo/prod"), null, new PublishContext("test"), CancellationToken.None);

        var promoted = Assert.IsType<PromoteResult.Promoted>(result);
        Assert.Equal(source.Id, promoted.SourceId);
        Assert.Contains(promoted.Warnings, w => w.Contains("recording the release in history", StringComparison.Ordinal) && w.Contains("(simulated)", StringComparison.Ordinal));
        Assert.Equal("1", _fixture.ReadLive("foo/prod", "a"));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Rollback_WhenBookkeepingThrowsAnyExceptionAfterTheFlip_IsRolledBackWithWarnings(string kind)
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var second = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });
        var clock = new FlipTriggeredClock(Path.Combine(_fixture.Data, "envs/foo/dev"), () => Fault(kind));
        var store = ReleaseStore.Open(_fixture.Options, clock);

        var result = await store.RollbackAsync(StoreFixture.Env("foo/dev"), null, new PublishContext("test"), CancellationToken.None);

        var rolledBack = Assert.IsType<RollbackResult.RolledBack>(result);
        Assert.Equal(first.Id, rolledBack.Release.Id);
        Assert.Equal(second.Id, rolledBack.Previous);
        Assert.True(clock.Faults > 0);
        Assert.Contains(rolledBack.Warnings, w => w.Contains("recording the rollback in history", StringComparison.Ordinal) && w.Contains("(simulated)", StringComparison.Ordinal));
        Assert.Equal("1", _fixture.ReadLive("foo/dev", "a"));
    }

    [Fact]
    public async Task Rollback_WithWorkingBookkeeping_HasNoWarnings()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });

        var result = await _fixture.Store.RollbackAsync(StoreFixture.Env("foo/dev"), null, new PublishContext("test"), CancellationToken.None);

        var rolledBack = Assert.IsType<RollbackResult.RolledBack>(result);
        Assert.Equal(first.Id, rolledBack.Release.Id);
        Assert.Empty(rolledBack.Warnings);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Delete_WhenBookkeepingThrowsAnyExceptionAfterTheLinkIsGone_IsDeletedWithWarnings(string kind)
    {
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "2" });
        var link = Path.Combine(_fixture.Data, "envs/foo/dev");
        var clock = new FlipTriggeredClock(link, () => Fault(kind));
        var store = ReleaseStore.Open(_fixture.Options, clock);

        var result = await store.DeleteAsync(StoreFixture.Env("foo/dev"), new PublishContext("test"), CancellationToken.None);

        var deleted = Assert.IsType<DeleteResult.Deleted>(result);
        Assert.True(clock.Faults > 0);
        Assert.False(File.Exists(link) || Directory.Exists(link));
        Assert.Contains(deleted.Warnings, w => w.Contains("recording the delete in history", StringComparison.Ordinal) && w.Contains("(simulated)", StringComparison.Ordinal));
        Assert.Contains(deleted.Warnings, w => w.Contains("removing release", StringComparison.Ordinal) && w.Contains("run the delete again", StringComparison.Ordinal));
        Assert.Contains(deleted.Warnings, w => w.Contains("writing the audit row", StringComparison.Ordinal));

        // The removals failed after moving each tree aside: start-up recovery finishes them.
        _fixture.Reopen();
        Assert.Empty(_fixture.Store.Releases(StoreFixture.Env("foo/dev")));
    }

    [Fact]
    public async Task Delete_WithWorkingBookkeeping_HasNoWarnings()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });

        var result = await _fixture.Store.DeleteAsync(StoreFixture.Env("foo/dev"), new PublishContext("test"), CancellationToken.None);

        var deleted = Assert.IsType<DeleteResult.Deleted>(result);
        Assert.Equal([first.Id], deleted.RemovedReleases);
        Assert.Empty(deleted.Warnings);
    }
}
