using System.Text.Json;
using Spiro.Core.Bundles;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Deltas;

namespace Spiro.Core.Tests.Releases.Deltas;

public sealed class DeltaPublishTests : IDisposable
{
    private static readonly Dictionary<string, string> V1 = new()
    {
        ["a.sls"] = "a: 1\n",
        ["web/init.sls"] = "web: 1\n",
        ["bin/run.sh*"] = "#!/bin/sh\necho run\n",
        ["_artifacts/big.bin"] = new string('x', 100_000),
    };

    private readonly StoreFixture _fixture = new();
    private readonly StoreFixture _reference = new();

    public void Dispose()
    {
        _fixture.Dispose();
        _reference.Dispose();
    }

    [Fact]
    public async Task FirstDeploy_NegotiatedWithEverythingMissing_PublishesTheFullUploadsManifest()
    {
        var bundle = DeltaTars.Bundle(V1);
        var plan = DeltaTars.Plan(bundle);

        var missing = _fixture.Store.MissingContent("foo", plan);
        var planned = await PublishPlannedAsync(_fixture, plan, DeltaTars.Upload(bundle, missing));

        Assert.Equal(plan.Select((e, i) => (e, i)).Where(x => x.e.Kind == PlannedKind.File).Select(x => x.i), missing);
        Assert.Equal(await FullManifestAsync(_reference, bundle), Entries(_fixture, planned));
    }

    [Fact]
    public async Task Redeploy_WithOneStateChanged_AsksForThatFileOnlyAndPublishesTheFullUploadsManifest()
    {
        var first = DeltaTars.Bundle(V1);
        await PublishPlannedAsync(_fixture, DeltaTars.Plan(first), DeltaTars.Upload(first, _fixture.Store.MissingContent("foo", DeltaTars.Plan(first))));
        var v2 = new Dictionary<string, string>(V1) { ["web/init.sls"] = "web: 2\n" };
        var bundle = DeltaTars.Bundle(v2);
        var plan = DeltaTars.Plan(bundle);

        var missing = _fixture.Store.MissingContent("foo", plan);
        var planned = await PublishPlannedAsync(_fixture, plan, DeltaTars.Upload(bundle, missing));

        Assert.Equal("web/init.sls", plan[Assert.Single(missing)].Path);
        Assert.Equal(await FullManifestAsync(_reference, bundle), Entries(_fixture, planned));
        Assert.Equal("web: 2\n", _fixture.ReadLive("foo/dev", "web/init.sls"));
    }

    [Fact]
    public async Task PartialOverlap_MovedContentAndChangedExecBit_OnlyNewContentIsMissingAndTheManifestMatches()
    {
        var first = DeltaTars.Bundle(V1);
        await PublishPlannedAsync(_fixture, DeltaTars.Plan(first), DeltaTars.Upload(first, _fixture.Store.MissingContent("foo", DeltaTars.Plan(first))));
        var v2 = new Dictionary<string, string>
        {
            ["moved/a.sls"] = "a: 1\n",            // known content under a new path
            ["run-copy.sh"] = "#!/bin/sh\necho run\n", // known content, but not as an executable object
            ["_artifacts/big.bin"] = new string('x', 100_000),
            ["new.sls"] = "new: 1\n",
        };
        var bundle = DeltaTars.Bundle(v2);
        var plan = DeltaTars.Plan(bundle);

        var missing = _fixture.Store.MissingContent("foo", plan).Select(i => plan[i].Path).ToList();
        var planned = await PublishPlannedAsync(_fixture, plan, DeltaTars.Upload(bundle, _fixture.Store.MissingContent("foo", plan)));

        Assert.Equal(["run-copy.sh", "new.sls"], missing);
        Assert.Equal(await FullManifestAsync(_reference, bundle), Entries(_fixture, planned));
    }

    [Fact]
    public async Task Upload_WhoseContentDoesNotMatchTheAnnouncedSha_IsRefusedAndAddsNoObject()
    {
        var first = DeltaTars.Bundle(V1);
        var live = await PublishPlannedAsync(_fixture, DeltaTars.Plan(first), DeltaTars.Upload(first, _fixture.Store.MissingContent("foo", DeltaTars.Plan(first))));
        var objectsBefore = Objects(_fixture);
        var v2 = new Dictionary<string, string>(V1) { ["web/init.sls"] = "web: 2\n" };
        var bundle = DeltaTars.Bundle(v2);
        var plan = DeltaTars.Plan(bundle);

        // Same size, other bytes: the server must hash what it receives, not trust the plan.
        var upload = DeltaTars.Upload(bundle, _fixture.Store.MissingContent("foo", plan), (_, bytes) => "evil: 2\n"u8.ToArray()[..bytes.Length]);
        var result = await _fixture.Store.PublishPlannedAsync(StoreFixture.Env("foo/dev"), plan, upload, new PublishContext("ci"), CancellationToken.None);

        Assert.Equal(BundleRules.ContentMismatch, Assert.IsType<PublishResult.Rejected>(result).Rule);
        Assert.Equal(objectsBefore, Objects(_fixture));
        Assert.EndsWith(live.Id, _fixture.LinkTarget("foo/dev"), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "staging/foo/dev")));
    }

    [Fact]
    public async Task AnotherProjectsContent_IsNeverReportedPresentAndCannotBeClaimed()
    {
        var secret = new Dictionary<string, string> { ["secret.sls"] = "password: hunter2\n" };
        var other = DeltaTars.Bundle(secret);
        await PublishPlannedAsync(_fixture, DeltaTars.Plan(other), DeltaTars.Upload(other, [1]), "other/dev");
        var plan = DeltaTars.Plan(other);

        var missing = _fixture.Store.MissingContent("foo", plan);
        var claimed = await _fixture.Store.PublishPlannedAsync(StoreFixture.Env("foo/dev"), plan, DeltaTars.Upload(other, []), new PublishContext("ci"), CancellationToken.None);

        Assert.Equal([1], missing);
        Assert.Empty(_fixture.Store.MissingContent("other", plan));
        Assert.Equal(BundleRules.ContentMissing, Assert.IsType<PublishResult.Rejected>(claimed).Rule);
        Assert.Equal("", _fixture.LinkTarget("foo/dev"));
    }

    [Fact]
    public async Task Upload_InterruptedBetweenTheSteps_LeavesTheLiveReleaseUnchanged()
    {
        var first = DeltaTars.Bundle(V1);
        var live = await PublishPlannedAsync(_fixture, DeltaTars.Plan(first), DeltaTars.Upload(first, _fixture.Store.MissingContent("foo", DeltaTars.Plan(first))));
        var v2 = new Dictionary<string, string>(V1) { ["web/init.sls"] = "web: 2\n", ["_artifacts/new.bin"] = new string('y', 200_000) };
        var bundle = DeltaTars.Bundle(v2);
        var plan = DeltaTars.Plan(bundle);
        var upload = DeltaTars.Upload(bundle, _fixture.Store.MissingContent("foo", plan));

        var cut = new MemoryStream(upload.ToArray()[..(int)(upload.Length / 2)]);
        var outcome = await Record.ExceptionAsync(async () =>
            Assert.IsType<PublishResult.Rejected>(await _fixture.Store.PublishPlannedAsync(StoreFixture.Env("foo/dev"), plan, cut, new PublishContext("ci"), CancellationToken.None)));

        Assert.True(outcome is null or EndOfStreamException, $"unexpected {outcome}");
        Assert.EndsWith(live.Id, _fixture.LinkTarget("foo/dev"), StringComparison.Ordinal);
        Assert.Equal("web: 1\n", _fixture.ReadLive("foo/dev", "web/init.sls"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_fixture.Data, "staging/foo/dev")));
    }

    private static async Task<ReleaseInfo> PublishPlannedAsync(StoreFixture fixture, IReadOnlyList<PlannedEntry> plan, Stream upload, string saltEnv = "foo/dev")
    {
        Assert.Null(DeltaPlanRules.Check(plan, new BundleLimits()));
        var result = await fixture.Store.PublishPlannedAsync(StoreFixture.Env(saltEnv), plan, upload, new PublishContext("ci"), CancellationToken.None);
        return Assert.IsType<PublishResult.Published>(result).Release;
    }

    private static async Task<string> FullManifestAsync(StoreFixture fixture, byte[] bundle)
    {
        var result = await fixture.Store.PublishAsync(StoreFixture.Env("foo/dev"), new MemoryStream(bundle), new PublishContext("ci"), CancellationToken.None);
        return Entries(fixture, Assert.IsType<PublishResult.Published>(result).Release);
    }

    private static string Entries(StoreFixture fixture, ReleaseInfo release)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Data, "manifests", release.Id + ".json")));
        return manifest.RootElement.GetProperty("entries").GetRawText();
    }

    private static List<(string, (long, int))> Objects(StoreFixture fixture) =>
        Directory.GetFiles(Path.Combine(fixture.Data, "objects"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (f, StoreFixture.Stat(f))).ToList();
}
