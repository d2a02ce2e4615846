using Spiro.Deploy.Tests.Support;
using Spiro.Deploy.Transport;
using Spiro.Protocol.Bundles;
using Spiro.Protocol.Deltas;

namespace Spiro.Deploy.Tests.Transport;

public sealed class FileHashCacheTests : IDisposable
{
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public void Dispose() => repo.Dispose();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private BundleSpec Spec => new(repo.Path, "_salt", ["dist"], null, null);

    private async Task<(IReadOnlyList<DeltaEntry> Plan, FileHashCache Cache)> PlanAsync(TimeSpan clockAhead)
    {
        var cache = FileHashCache.Open(repo.Path, new FixedTime(DateTimeOffset.UtcNow + clockAhead));
        var plan = await DeltaBundle.PlanAsync(Spec, cache, CancellationToken.None);
        cache.Save();
        return (plan, cache);
    }

    [Fact]
    public async Task SecondRun_AnswersEveryUnchangedFileFromTheCache_AndRehashesTheChangedOne()
    {
        var (first, _) = await PlanAsync(TimeSpan.FromHours(1));
        var files = first.Count(e => e.Type == DeltaEntryTypes.File);
        var (unchanged, warm) = await PlanAsync(TimeSpan.FromHours(1));
        repo.Write("_salt/app/init.sls", "app:\n  test.fail_without_changes\n");

        var (changed, afterChange) = await PlanAsync(TimeSpan.FromHours(1));

        Assert.True(files > 2, $"{files} files");
        Assert.Equal(files, warm.Hits);
        Assert.Equal(first, unchanged);
        Assert.Equal(files - 1, afterChange.Hits);
        Assert.Equal(await DeltaBundle.PlanAsync(Spec, null, CancellationToken.None), changed);
    }

    [Fact]
    public async Task FilesChangedWithinTwoSecondsOfHashing_AreNotRemembered()
    {
        await PlanAsync(TimeSpan.Zero);

        var (_, second) = await PlanAsync(TimeSpan.Zero);

        Assert.Equal(0, second.Hits);
    }

    [Fact]
    public async Task AMalformedCache_IsAnEmptyOne_AndTheCacheDirectoryIsIgnoredByGit()
    {
        repo.Write(".spiro-deploy/hash-cache", "spiro-deploy hash cache v1\nnot\ta\tvalid\tline\n" + new string('x', 100) + "\n");

        var (plan, cache) = await PlanAsync(TimeSpan.FromHours(1));

        Assert.Equal(0, cache.Hits);
        Assert.Equal(await DeltaBundle.PlanAsync(Spec, null, CancellationToken.None), plan);
        Assert.Equal("*\n", File.ReadAllText(Path.Combine(repo.Path, ".spiro-deploy", ".gitignore")));
        Assert.DoesNotContain(".spiro-deploy", repo.Git("status", "--porcelain"), StringComparison.Ordinal);
    }
}
