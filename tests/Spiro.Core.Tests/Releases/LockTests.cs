using Spiro.Core.Releases;
using Spiro.Testing.Store;

namespace Spiro.Core.Tests.Releases;

public sealed class LockTests : IDisposable
{
    private readonly StoreFixture _fixture = new(lockTimeout: TimeSpan.FromMilliseconds(700));

    public void Dispose() => _fixture.Dispose();

    private string LockFile => Path.Combine(_fixture.Data, "locks", "foo", "dev.lock");

    private bool IsHeldElsewhere() => OtherProcessLock.IsHeld(LockFile);

    [Fact]
    public async Task Publish_WhileAnotherProcessHoldsTheLock_WaitsThenReportsLockedAndChangesNothing()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var progress = new List<string>();
        var (tree, entries) = _fixture.WriteTree(new Dictionary<string, byte[]> { ["a"] = "2"u8.ToArray() });

        PublishResult result;
        using (OtherProcessLock.Hold(LockFile))
        {
            result = await _fixture.Store.PublishExtractedAsync(StoreFixture.Env("foo/dev"), tree, entries, null, default, new PublishContext("ci", new SyncProgress(progress)), CancellationToken.None);
        }

        var locked = Assert.IsType<PublishResult.Locked>(result);
        // flock(1) leaves no holder note, and the note of the earlier (finished) publish is gone.
        Assert.StartsWith("foo/dev is locked by another process", locked.Message, StringComparison.Ordinal);
        Assert.Contains(progress, p => p.StartsWith("waiting for the lock on foo/dev held by", StringComparison.Ordinal));
        Assert.Equal("1", _fixture.ReadLive("foo/dev", "a"));
        Assert.Equal([first.Id], _fixture.Store.Releases(StoreFixture.Env("foo/dev")).Select(r => r.Id));
    }

    [Fact]
    public async Task Publish_WhenTheOtherProcessReleasesInTime_Proceeds()
    {
        var store = _fixture.Reopen(_fixture.Options with { LockTimeout = TimeSpan.FromMinutes(2) });
        var (tree, entries) = _fixture.WriteTree(new Dictionary<string, byte[]> { ["a"] = "2"u8.ToArray() });
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new Signal(line => line.StartsWith("waiting for the lock", StringComparison.Ordinal), waiting);

        Task<PublishResult> publish;
        using (OtherProcessLock.Hold(LockFile))
        {
            publish = store.PublishExtractedAsync(StoreFixture.Env("foo/dev"), tree, entries, null, default, new PublishContext("ci", progress), CancellationToken.None);

            // The publish says it waits for the other process's lock; only then is it let go.
            await waiting.Task.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.False(publish.IsCompleted);
        }

        Assert.IsType<PublishResult.Published>(await publish);
    }

    [Fact]
    public async Task LockHeldByStore_IsVisibleToOtherProcessesAndNamesTheHolder()
    {
        // A published saltenv: the lock file of one never published goes when its lock is released.
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        var held = await _fixture.Store.Services.Locks.TakeAsync(StoreFixture.Env("foo/dev"), "cli:alice", null, CancellationToken.None);

        Assert.NotNull(held.Lock);
        Assert.True(IsHeldElsewhere());
        Assert.Contains($"pid {Environment.ProcessId} (", _fixture.Store.Services.Locks.DescribeHolder(StoreFixture.Env("foo/dev")), StringComparison.Ordinal);
        Assert.Contains("cli:alice", _fixture.Store.Services.Locks.DescribeHolder(StoreFixture.Env("foo/dev")), StringComparison.Ordinal);
        held.Lock!.Dispose();
        Assert.False(IsHeldElsewhere());
        Assert.False(File.Exists(Path.Combine(_fixture.Data, "locks", "foo", "dev.holder")));
    }

    /// <summary>Completes <paramref name="seen"/> at the first progress line <paramref name="match"/> accepts.</summary>
    private sealed class Signal(Func<string, bool> match, TaskCompletionSource seen) : IProgress<string>
    {
        public void Report(string value)
        {
            if (match(value))
            {
                seen.TrySetResult();
            }
        }
    }

    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
