using Spiro.Protocol.Highstate;

namespace Spiro.Protocol.Tests.Highstate;

public sealed class HighstateVerdictTests
{
    private static MinionSummary Ok(string minion) => MinionSummarizer.Summarize(minion, SaltSamples.First("hs.m2-down.stdout", "m1"));

    [Fact]
    public void AllSucceeded_Passes()
    {
        Assert.True(HighstateVerdict.Of([Ok("m1"), Ok("m2")], [], tolerateMissing: false).Passed);
    }

    [Fact]
    public void AFailedMinion_Fails_EvenWhenMissingAreTolerated()
    {
        var failed = MinionSummarizer.Summarize("m2", SaltSamples.First("hs.foo-bad.m1.stdout", "m1"));

        var verdict = HighstateVerdict.Of([Ok("m1"), failed], [], tolerateMissing: true);

        Assert.False(verdict.Passed);
        Assert.Equal(["m2"], verdict.Failed);
    }

    [Fact]
    public void AMinionThatDidNotReturn_OrAnExpectedOneNeverSeen_Fails_UnlessTolerated()
    {
        var down = MinionSummarizer.Summarize("m2", SaltSamples.First("hs.m2-down.stdout", "m2"));

        var strict = HighstateVerdict.Of([Ok("m1"), down], ["m3"], tolerateMissing: false);
        var tolerant = HighstateVerdict.Of([Ok("m1"), down], ["m3"], tolerateMissing: true);

        Assert.False(strict.Passed);
        Assert.Equal(["m2", "m3"], strict.Missing);
        Assert.Empty(strict.Failed);
        Assert.True(tolerant.Passed);
        Assert.Equal(["m2", "m3"], tolerant.Tolerated);
    }
}
