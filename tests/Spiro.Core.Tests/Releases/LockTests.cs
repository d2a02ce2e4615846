using System.Diagnostics;
using Spiro.Core.Releases;

namespace Spiro.Core.Tests.Releases;

public sealed class LockTests : IDisposable
{
    private readonly StoreFixture _fixture = new(lockTimeout: TimeSpan.FromMilliseconds(700));

    public void Dispose() => _fixture.Dispose();

    private string LockFile => Path.Combine(_fixture.Data, "locks", "foo", "dev.lock");

    /// <summary>flock(1) holds the lock in another process, exactly as a second spiro would.</summary>
    private Process HoldInOtherProcess(string seconds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile)!);
        var info = new ProcessStartInfo("flock") { ArgumentList = { "--exclusive", LockFile, "sleep", seconds }, RedirectStandardOutput = true };
        var process = Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!IsHeldElsewhere() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        return process;
    }

    private bool IsHeldElsewhere()
    {
        using var probe = Process.Start(new ProcessStartInfo("flock") { ArgumentList = { "--nonblock", "--exclusive", LockFile, "true" } })!;
        probe.WaitForExit();
        return probe.ExitCode != 0;
    }

    [Fact]
    public async Task Publish_WhileAnotherProcessHoldsTheLock_WaitsThenReportsLockedAndChangesNothing()
    {
        var first = await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = "1" });
        using var holder = HoldInOtherProcess("30");
        var progress = new List<string>();
        var (tree, entries) = _fixture.WriteTree(new Dictionary<string, byte[]> { ["a"] = "2"u8.ToArray() });

        var result = await _fixture.Store.PublishExtractedAsync(StoreFixture.Env("foo/dev"), tree, entries, null, default, new PublishContext("ci", new SyncProgress(progress)), CancellationToken.None);
        holder.Kill();

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
        using var holder = HoldInOtherProcess("0.3");
        var store = _fixture.Reopen(_fixture.Options with { LockTimeout = TimeSpan.FromSeconds(20) });
        var (tree, entries) = _fixture.WriteTree(new Dictionary<string, byte[]> { ["a"] = "2"u8.ToArray() });

        var result = await store.PublishExtractedAsync(StoreFixture.Env("foo/dev"), tree, entries, null, default, new PublishContext("ci"), CancellationToken.None);

        Assert.IsType<PublishResult.Published>(result);
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
