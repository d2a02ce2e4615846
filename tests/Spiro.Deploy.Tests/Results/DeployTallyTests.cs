using Spiro.Deploy.Results;
using Spiro.Deploy.Tests.Support;
using Spiro.Protocol.Highstate;

namespace Spiro.Deploy.Tests.Results;

public sealed class DeployTallyTests
{
    [Fact]
    public void SecondDocumentForAMinion_DoesNotOverwriteTheFirst()
    {
        var tally = new DeployTally();
        tally.Started(["m1", "m2"], []);
        var accepted = Samples.Documents("hs.foo-prod.m1m2.stdout")
            .Select(d => tally.Report(MinionSummarizer.Summarize(d.Minion, d.Value)))
            .ToList();

        Assert.Equal([true, false, true], accepted);
        var m2 = tally.Reported.Single(s => s.Minion == "m2");
        Assert.Equal(MinionOutcome.Failed, m2.Outcome);
        Assert.Equal(["m2"], tally.FailedMinions);
        Assert.Empty(tally.Unreported);
    }

    [Fact]
    public void MinionsNamedAtStartWithoutAReturn_AreUnreported()
    {
        var tally = new DeployTally();
        tally.Started(["m3", "m1", "m2"], []);
        tally.Report(MinionSummarizer.Summarize("m1", Samples.First("hs.m2-down.stdout", "m1")));

        Assert.Equal(["m2", "m3"], tally.Unreported);
        Assert.Empty(tally.FailedMinions);
        Assert.False(tally.Verdict.Passed);
    }

    [Fact]
    public void MinionTheServerListsAsMissing_AfterABatchModeEmptyReturn_FailsTheVerdict()
    {
        // The old client counted batch mode's {} as "zero states, fine" while the server called it
        // no-return and listed it as missing: exit 0 for a minion that never ran.
        var tally = new DeployTally();
        tally.Started(["m1", "m2"], []);
        tally.Report(MinionSummarizer.Summarize("m1", Samples.First("hs.m2-down.stdout", "m1")));
        tally.Report(MinionSummarizer.Summarize("m2", new System.Text.Json.Nodes.JsonObject()));
        tally.Finished(["m2"]);

        Assert.Equal(["m2"], tally.Unreported);
        Assert.False(tally.Verdict.Passed);
    }

    [Fact]
    public void ExpectedMinionNamedMissingAtStart_FailsUnlessTolerated()
    {
        var strict = new DeployTally();
        var tolerant = new DeployTally(tolerateMissing: true);
        foreach (var tally in new[] { strict, tolerant })
        {
            tally.Started(["m1"], ["m2"]);
            tally.Report(MinionSummarizer.Summarize("m1", Samples.First("hs.m2-down.stdout", "m1")));
            tally.Report(MinionSummarizer.Summarize("m2", CmdIterResult.Failed()));
        }

        Assert.False(strict.Verdict.Passed);
        Assert.Equal(["m2"], strict.Verdict.Missing);
        Assert.True(tolerant.Verdict.Passed);
        Assert.Equal(["m2"], tolerant.Verdict.Tolerated);
    }
}
