using Spiro.Core.Releases;
using Spiro.Core.Releases.Plans;
using Spiro.Testing.Tars;

namespace Spiro.Core.Tests.Releases.Plans;

/// <summary>Candidates in the store: stored but not live, kept by start-up, applied exactly, refused when stale or expired.</summary>
public sealed class PlanStoreTests : IDisposable
{
    private const string Spirotop = "dev:\n  '*':\n    - web\n";

    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static readonly Spiro.Core.Names.SaltEnvName Dev = StoreFixture.Env("foo/dev");

    private async Task<ReleaseInfo> PublishAsync(string marker, bool candidate, ReleaseStore? store = null)
    {
        var files = new Dictionary<string, string> { ["spirotop.sls"] = Spirotop, ["web/init.sls"] = marker };
        var result = await (store ?? _fixture.Store).PublishAsync(Dev, TestTar.Stream(files), new PublishContext("token:ci") { Candidate = candidate }, CancellationToken.None);
        return Assert.IsType<PublishResult.Published>(result).Release;
    }

    [Fact]
    public async Task Candidate_IsStoredNotLive_WithItsPlanTopFile_AndSurvivesStartUp()
    {
        var live = await PublishAsync("one", candidate: false);

        var candidate = await PublishAsync("two", candidate: true);

        Assert.False(candidate.Live);
        Assert.Equal(live.Id, _fixture.Store.Releases(Dev).Single(r => r.Live).Id);
        Assert.DoesNotContain(_fixture.Store.Releases(Dev), r => r.Id == candidate.Id);
        Assert.Equal("one", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.Equal(PlanTopFile.Text(Dev, candidate.Id), File.ReadAllText(Path.Combine(_fixture.Data, "plans", candidate.Id, "top.sls")));
        var plan = _fixture.Store.FindPlan(candidate.Id)!;
        Assert.Equal((live.Id, true), (plan.BaseRelease, plan.Pending));

        var reopened = _fixture.Reopen();

        Assert.True(Directory.Exists(Path.Combine(_fixture.Data, "releases", candidate.Id)));
        Assert.NotNull(reopened.Candidate(reopened.FindPlan(candidate.Id)!));
    }

    [Fact]
    public async Task Apply_MakesExactlyTheCandidateLive_AndRecordsIt()
    {
        await PublishAsync("one", candidate: false);
        var candidate = await PublishAsync("two", candidate: true);

        var applied = Assert.IsType<ApplyResult.Applied>(await _fixture.Store.ApplyPlanAsync(Dev, candidate.Id, force: false, new PublishContext("token:ci"), CancellationToken.None));

        Assert.Equal(candidate.Id, applied.Release.Id);
        Assert.Equal("two", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.Equal(candidate.Id, _fixture.Store.Releases(Dev).Single(r => r.Live).Id);
        Assert.Equal("apply", _fixture.Store.History(Dev)[^1].Action);
        Assert.False(Directory.Exists(Path.Combine(_fixture.Data, "plans", candidate.Id)));
        Assert.IsType<ApplyResult.NotFound>(await _fixture.Store.ApplyPlanAsync(Dev, candidate.Id, force: false, new PublishContext("token:ci"), CancellationToken.None));
    }

    [Fact]
    public async Task Apply_AfterTheLiveReleaseMoved_IsStaleUnlessForced()
    {
        await PublishAsync("one", candidate: false);
        var candidate = await PublishAsync("two", candidate: true);
        var moved = await PublishAsync("three", candidate: false);

        var stale = Assert.IsType<ApplyResult.Stale>(await _fixture.Store.ApplyPlanAsync(Dev, candidate.Id, force: false, new PublishContext("token:ci"), CancellationToken.None));

        Assert.Equal(moved.Id, stale.Live);
        Assert.Contains("the live release moved since this plan", stale.Message, StringComparison.Ordinal);
        Assert.Equal("three", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.IsType<ApplyResult.Applied>(await _fixture.Store.ApplyPlanAsync(Dev, candidate.Id, force: true, new PublishContext("token:ci"), CancellationToken.None));
        Assert.Equal("two", _fixture.ReadLive("foo/dev", "web/init.sls"));
    }

    [Fact]
    public async Task ExpiredCandidate_IsRefusedAndRemoved_AndStartUpCollectsTheOthers()
    {
        var expiring = _fixture.Reopen(_fixture.Options with { PlanLifetime = TimeSpan.FromMilliseconds(1) });
        await PublishAsync("one", candidate: false, expiring);
        var first = await PublishAsync("two", candidate: true, expiring);
        var second = await PublishAsync("three", candidate: true, expiring);

        Assert.IsType<ApplyResult.Expired>(await expiring.ApplyPlanAsync(Dev, second.Id, force: false, new PublishContext("token:ci"), CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_fixture.Data, "releases", second.Id)));
        Assert.True(Directory.Exists(Path.Combine(_fixture.Data, "releases", first.Id)));

        _fixture.Reopen(_fixture.Options with { PlanLifetime = TimeSpan.FromMilliseconds(1) });

        Assert.False(Directory.Exists(Path.Combine(_fixture.Data, "releases", first.Id)));
        Assert.False(File.Exists(Path.Combine(_fixture.Data, "manifests", first.Id + ".json")));
        Assert.False(Directory.Exists(Path.Combine(_fixture.Data, "plans", first.Id)));
        Assert.Equal("one", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.NotNull(_fixture.Store.FindPlan(first.Id)!.RemovedAt);
    }

    [Fact]
    public async Task Apply_OfAnotherSaltenvsPlan_IsNotFound()
    {
        var candidate = await PublishAsync("two", candidate: true);

        Assert.IsType<ApplyResult.NotFound>(await _fixture.Store.ApplyPlanAsync(StoreFixture.Env("foo/prod"), candidate.Id, force: true, new PublishContext("token:ci"), CancellationToken.None));
        Assert.Empty(_fixture.Store.Releases(StoreFixture.Env("foo/prod")));
    }
}
