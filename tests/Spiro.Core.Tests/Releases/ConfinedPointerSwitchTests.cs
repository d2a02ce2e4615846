using Spiro.Core.Releases;
using Spiro.Core.Releases.Plans;
using Spiro.Core.TopFiles;
using Spiro.Testing.Tars;

namespace Spiro.Core.Tests.Releases;

/// <summary>
/// A confined project's rollback or plan apply to a release compiled without its allowed targets
/// is refused (the Salt adapter would read no top data from it); releases compiled under the
/// confinement still switch (docs/security.md, "Target confinement").
/// </summary>
public sealed class ConfinedPointerSwitchTests : IDisposable
{
    private const string Spirotop = "dev:\n  '*':\n    - web\n";

    private static readonly Spiro.Core.Names.SaltEnvName Dev = StoreFixture.Env("foo/dev");

    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private async Task<ReleaseInfo> PublishAsync(string marker, bool candidate = false)
    {
        var files = new Dictionary<string, string> { ["spirotop.sls"] = Spirotop, ["web/init.sls"] = marker };
        var result = await _fixture.Store.PublishAsync(Dev, TestTar.Stream(files), new PublishContext("token:ci") { Candidate = candidate }, CancellationToken.None);
        return Assert.IsType<PublishResult.Published>(result).Release;
    }

    private void Confine() => Assert.Null(_fixture.Store.Projects.SetAllowTargets("foo", "m1", "admin"));

    [Fact]
    public async Task Rollback_ToAReleaseFromBeforeTheConfinement_IsRefusedAndChangesNothing()
    {
        var early = await PublishAsync("one");
        Confine();
        var confined = await PublishAsync("two");

        var refused = Assert.IsType<RollbackResult.Refused>(await _fixture.Store.RollbackAsync(Dev, null, new PublishContext("admin"), CancellationToken.None));

        Assert.Contains(early.Id, refused.Message, StringComparison.Ordinal);
        Assert.Contains(TargetConfinement.StaleRule, refused.Message, StringComparison.Ordinal);
        Assert.Contains("'m1'", refused.Message, StringComparison.Ordinal);
        Assert.Equal("two", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.Equal(confined.Id, _fixture.Store.Releases(Dev).Single(r => r.Live).Id);
        Assert.DoesNotContain(_fixture.Store.History(Dev), h => h.Action == "rollback");
        Assert.Contains(_fixture.Store.Audit.Read(10), row => row.Action == "rollback" && row.Outcome == "refused");
    }

    [Fact]
    public async Task Rollback_ToAReleaseCompiledUnderTheConfinement_Switches()
    {
        Confine();
        var first = await PublishAsync("one");
        await PublishAsync("two");

        var done = Assert.IsType<RollbackResult.RolledBack>(await _fixture.Store.RollbackAsync(Dev, null, new PublishContext("admin"), CancellationToken.None));

        Assert.Equal(first.Id, done.Release.Id);
        Assert.Equal("one", _fixture.ReadLive("foo/dev", "web/init.sls"));
    }

    [Fact]
    public async Task Rollback_AfterTheConfinementIsCleared_SwitchesAgain()
    {
        var early = await PublishAsync("one");
        Confine();
        await PublishAsync("two");
        Assert.Null(_fixture.Store.Projects.SetAllowTargets("foo", null, "admin"));

        var done = Assert.IsType<RollbackResult.RolledBack>(await _fixture.Store.RollbackAsync(Dev, null, new PublishContext("admin"), CancellationToken.None));

        Assert.Equal(early.Id, done.Release.Id);
    }

    [Fact]
    public async Task ApplyingAPlanMadeBeforeTheConfinement_IsRefusedEvenForced()
    {
        var live = await PublishAsync("one");
        var candidate = await PublishAsync("two", candidate: true);
        Confine();

        var refused = Assert.IsType<ApplyResult.Refused>(await _fixture.Store.ApplyPlanAsync(Dev, candidate.Id, force: true, new PublishContext("token:ci"), CancellationToken.None));

        Assert.Contains(TargetConfinement.StaleRule, refused.Message, StringComparison.Ordinal);
        Assert.Equal("one", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.Equal(live.Id, _fixture.Store.Releases(Dev).Single(r => r.Live).Id);
    }
}
