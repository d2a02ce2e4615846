using Spiro.Deploy.Results;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.Results;

public sealed class DeployTallyTests
{
    [Fact]
    public void SecondDocumentForAMinion_DoesNotOverwriteTheFirst()
    {
        var tally = new DeployTally();
        tally.Started(["m1", "m2"]);
        var accepted = Samples.Documents("hs.foo-prod.m1m2.stdout")
            .Select(d => tally.Report(MinionSummarizer.Summarize(d.Minion, d.Value)))
            .ToList();

        Assert.Equal([true, false, true], accepted);
        var m2 = tally.Reported.Single(s => s.Minion == "m2");
        Assert.Equal(MinionResultKind.States, m2.Kind);
        Assert.Equal(["m2"], tally.FailedMinions);
        Assert.Empty(tally.Unreported);
    }

    [Fact]
    public void MinionsNamedAtStartWithoutAReturn_AreUnreported()
    {
        var tally = new DeployTally();
        tally.Started(["m3", "m1", "m2"]);
        tally.Report(MinionSummarizer.Summarize("m1", Samples.First("hs.m2-down.stdout", "m1")));

        Assert.Equal(["m2", "m3"], tally.Unreported);
        Assert.Empty(tally.FailedMinions);
    }
}
