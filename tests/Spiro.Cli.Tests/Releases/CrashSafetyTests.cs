using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Spiro.Core.Names;
using Spiro.Core.Releases;

namespace Spiro.Cli.Tests.Releases;

/// <summary>Real kill -9 of a real `spiro publish`, at every publish step and at random moments.</summary>
[Trait("Category", "Slow")]
public sealed class CrashSafetyTests : IDisposable
{
    private static readonly SaltEnvName FooDev = new("foo", "dev");

    // The fault points, in order (Spiro.Core.Releases.Publishing.FaultPoints.PublishSteps); "flip" kills just before the pointer moves.
    private static readonly string[] BeforeFlip = ["lock", "extract", "top", "objects", "tree", "manifest", "release", "flip"];
    private static readonly string[] AfterFlip = ["record", "audit", "retention", "cleanup"];

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string, bool> Steps()
    {
        var data = new TheoryData<string, bool>();
        foreach (var step in BeforeFlip)
        {
            data.Add(step, false);
        }

        foreach (var step in AfterFlip)
        {
            data.Add(step, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Publish_KilledAtStep_LeavesOldOrNewReleaseAndNoLeftovers(string step, bool expectNew)
    {
        var old = await PublishInProcessAsync("old");
        var bundle = _cli.Bundle("new.tar", new Dictionary<string, string> { ["init.sls"] = "new", ["spirotop.sls"] = "dev:\n  '*':\n    - init\n" }, paddingFiles: 20, paddingBytes: 1000);

        using var child = _cli.Start(new Dictionary<string, string> { ["SPIRO_FAULT_KILL_AT"] = step }, "publish", "foo/dev", bundle);
        await child.WaitForExitAsync();
        Assert.Equal(137, child.ExitCode); // SIGKILL

        var store = Reopen();
        var live = File.ReadAllText(Path.Combine(_cli.Data, "envs/foo/dev/init.sls"));
        Assert.Equal(expectNew ? "new" : "old", live);
        AssertConsistent(store, expectNew ? null : old);
    }

    [Fact]
    public async Task Publish_KilledAtRandomMoments_AlwaysLeavesOldOrNewRelease()
    {
        var bundles = new[] { "a", "b" }.Select(v => _cli.Bundle(v + ".tar", new Dictionary<string, string> { ["init.sls"] = v }, paddingFiles: 800, paddingBytes: 1000)).ToArray();

        // Calibrate: how long one whole publish takes here, so kills land before, during and after the flip.
        // The fastest of two runs: the first pays for a cold cache, and on a loaded machine one slow
        // calibration would put every kill after the publish ended.
        var full = double.MaxValue;
        for (var run = 0; run < 2; run++)
        {
            var clock = Stopwatch.StartNew();
            using var calibration = _cli.Start(null, "publish", "foo/dev", bundles[run]);
            await calibration.WaitForExitAsync();
            Assert.Equal(0, calibration.ExitCode);
            full = Math.Min(full, clock.Elapsed.TotalMilliseconds);
        }

        var random = new Random(1234);
        var outcomes = new List<string>();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var before = File.ReadAllText(Path.Combine(_cli.Data, "envs/foo/dev/init.sls"));
            var version = attempt % 2 == 0 ? "a" : "b";
            using var child = _cli.Start(null, "publish", "foo/dev", bundles[attempt % 2]);
            await Task.Delay(TimeSpan.FromMilliseconds(full * (0.1 + (0.8 * random.NextDouble()))));
            if (!child.HasExited)
            {
                Process.Start("kill", ["-9", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            }

            await child.WaitForExitAsync();
            var store = Reopen();
            var live = File.ReadAllText(Path.Combine(_cli.Data, "envs/foo/dev/init.sls"));
            Assert.Contains(live, new[] { before, version });
            outcomes.Add(child.ExitCode == 0 ? "completed" : live == version ? "killed-new" : "killed-old");
            AssertConsistent(store, null);
        }

        Assert.Contains(outcomes, o => o.StartsWith("killed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoProcessesPublishingOneSaltEnv_RunOneAfterTheOther()
    {
        var first = _cli.Bundle("one.tar", new Dictionary<string, string> { ["init.sls"] = "one" }, paddingFiles: 400, paddingBytes: 1000);
        var second = _cli.Bundle("two.tar", new Dictionary<string, string> { ["init.sls"] = "two" }, paddingFiles: 400, paddingBytes: 1000);

        using var a = _cli.Start(null, "publish", "foo/dev", first);
        using var b = _cli.Start(null, "publish", "foo/dev", second);
        var errors = await Task.WhenAll(a.StandardError.ReadToEndAsync(), b.StandardError.ReadToEndAsync());
        await Task.WhenAll(a.WaitForExitAsync(), b.WaitForExitAsync());

        Assert.True(a.ExitCode == 0, errors[0]);
        Assert.True(b.ExitCode == 0, errors[1]);
        var store = Reopen();
        var history = store.History(FooDev);
        Assert.Equal(["publish", "publish"], history.Select(h => h.Action));
        Assert.Equal(history[^1].ReleaseId, store.Releases(FooDev).Single(r => r.Live).Id);
        Assert.Equal(2, store.Releases(FooDev).Count);
        Assert.Null(store.Audit.Verify());
    }

    private async Task<string> PublishInProcessAsync(string version)
    {
        var (code, output, error) = await _cli.RunAsync("publish", "foo/dev", _cli.Bundle(version + ".tar", new Dictionary<string, string> { ["init.sls"] = version }));
        Assert.True(code == 0, error);
        return output.Split(' ')[3];
    }

    private ReleaseStore Reopen()
    {
        SqliteConnection.ClearAllPools();
        return ReleaseStore.Open(new StoreOptions { DataDirectory = _cli.Data }, TimeProvider.System);
    }

    /// <summary>After recovery: the live release is recorded, nothing is staged, every tree has a manifest and a row, no object is unreferenced.</summary>
    private void AssertConsistent(ReleaseStore store, string? expectedLive)
    {
        var releases = store.Releases(FooDev);
        var live = releases.Single(r => r.Live).Id;
        if (expectedLive is not null)
        {
            Assert.Equal(expectedLive, live);
        }

        Assert.Equal($"../../releases/{live}", new FileInfo(Path.Combine(_cli.Data, "envs/foo/dev")).LinkTarget);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(_cli.Data, "staging"), "*", SearchOption.AllDirectories), File.Exists);
        Assert.Equal(["dev"], Directory.EnumerateFileSystemEntries(Path.Combine(_cli.Data, "envs/foo")).Select(Path.GetFileName));
        var ids = releases.Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ids, Directory.EnumerateDirectories(Path.Combine(_cli.Data, "releases")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(ids, Directory.EnumerateFiles(Path.Combine(_cli.Data, "manifests")).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
        var unreferenced = Assert.IsType<GcResult.Collected>(store.CollectGarbageAsync(dryRun: true, "test", CancellationToken.None).GetAwaiter().GetResult());
        Assert.Empty(unreferenced.Objects);
    }
}
