using Spiro.Cluster.Import;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Cluster.Tests.Import;

/// <summary>Which stores <c>spiro cluster import</c> takes as they are, and which manifests the cluster gets (literal data).</summary>
public sealed class ImportRulesTests
{
    private const string R1 = "20261201T100000Z-00000001";
    private const string R2 = "20261201T110000Z-00000002";
    private const string Plan = "20261201T120000Z-00000003";
    private const string Gone = "20261201T090000Z-00000004";

    private static SnapshotManifest Manifest(string id, string saltEnv = "foo/dev") => new(id, saltEnv, "{}", ["aa"]);

    [Fact]
    public void Decide_SharesEveryKeptReleasesAndPendingPlansManifest_AndNoOther()
    {
        var (shared, refusal) = ImportRules.Decide(
            [new(R1, "foo/dev", Kept: true), new(R2, "foo/dev", Kept: true), new(Gone, "foo/dev", Kept: false)],
            [Plan],
            [new LivePointer("foo/dev", R2)],
            [Manifest(R1), Manifest(R2), Manifest(Plan), Manifest("20261201T130000Z-00000005")]);

        Assert.Null(refusal);
        Assert.Equal([R1, R2, Plan], shared.Select(m => m.ReleaseId));
    }

    [Fact]
    public void Decide_ALiveReleaseWithoutAKeptRow_IsRefusedNamingTheSaltEnvAndTheRepair()
    {
        var (shared, refusal) = ImportRules.Decide([new(R1, "foo/dev", Kept: true)], [], [new LivePointer("foo/dev", R2)], [Manifest(R1), Manifest(R2)]);

        Assert.Empty(shared);
        Assert.StartsWith($"saltenv foo/dev serves release {R2}, which spiro.db does not record", refusal, StringComparison.Ordinal);
        Assert.Contains("start spiro serve on the single master once", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ALiveReleaseRecordedForAnotherSaltEnv_IsRefused()
    {
        var (_, refusal) = ImportRules.Decide([new(R1, "foo/prod", Kept: true)], [], [new LivePointer("foo/dev", R1)], [Manifest(R1, "foo/prod")]);

        Assert.NotNull(refusal);
    }

    [Theory]
    [InlineData(false, "is missing")]
    [InlineData(true, "names foo/prod")]
    public void Decide_AKeptReleaseWhoseManifestIsMissingOrElsewhere_IsRefused(bool present, string why)
    {
        var (_, refusal) = ImportRules.Decide([new(R1, "foo/dev", Kept: true)], [], [], present ? [Manifest(R1, "foo/prod")] : []);

        Assert.Equal($"release {R1} of foo/dev is recorded in spiro.db but manifests/{R1}.json {why}: the cluster could not make it on another master; nothing is imported", refusal);
    }
}
