using System.Text.Json.Nodes;
using Spiro.Deploy.Results;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.Results;

public sealed class MinionSummarizerTests
{
    [Fact]
    public void FailedState_IsCountedWithItsIdNameAndComment()
    {
        var summary = MinionSummarizer.Summarize("m1", Samples.First("hs.foo-bad.m1.stdout", "m1"));

        Assert.Equal(MinionResultKind.States, summary.Kind);
        Assert.True(summary.IsFailure);
        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(1, summary.Changed);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(19.371 + 0.574 + 0.906, summary.DurationMs, 3);
        var failed = Assert.Single(summary.FailedStates);
        Assert.Equal("must_fail", failed.Id);
        Assert.Equal("/bin/false", failed.Name);
        Assert.Equal("cmd.run", failed.Function);
        Assert.Equal("Command \"/bin/false\" run", failed.Comment);
    }

    [Fact]
    public void States_AreInRunOrder()
    {
        var summary = MinionSummarizer.Summarize("m1", Samples.First("hs.foo-bad.m1.stdout", "m1"));

        Assert.Equal(["must_fail", "ok_one", "change_one"], summary.States.Select(s => s.Id));
    }

    [Fact]
    public void TestRun_NullResults_WouldChange_AndAreNotFailures()
    {
        var summary = MinionSummarizer.Summarize("m1", Samples.First("hs.foo-bad.m1.test.stdout", "m1"));

        Assert.False(summary.IsFailure);
        Assert.Equal(2, summary.WouldChange);
        Assert.Equal(1, summary.Succeeded);
        Assert.Equal(0, summary.Failed);
    }

    [Fact]
    public void RenderError_ListOfStrings_IsAFailureWithTheText()
    {
        var summary = MinionSummarizer.Summarize("m1", Samples.First("hs.render-error.m1.stdout", "m1"));

        Assert.Equal(MinionResultKind.Errors, summary.Kind);
        Assert.True(summary.IsFailure);
        Assert.StartsWith("Rendering SLS 'foo/broken:brk' failed", Assert.Single(summary.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void MinionDidNotReturn_String_IsAFailureWithTheText()
    {
        var summary = MinionSummarizer.Summarize("m2", Samples.First("hs.m2-down.stdout", "m2"));

        Assert.Equal(MinionResultKind.Message, summary.Kind);
        Assert.True(summary.IsFailure);
        Assert.StartsWith("Minion did not return. [No response]", Assert.Single(summary.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void NoTopData_StateWithResultFalse_IsAFailure()
    {
        var summary = MinionSummarizer.Summarize("m2", Samples.First("hs.foo-prod.m1m2.stdout", "m2"));

        Assert.True(summary.IsFailure);
        var failed = Assert.Single(summary.FailedStates);
        Assert.Equal("states", failed.Id);
        Assert.Equal("No Top file or master_tops data matches found. Please see master log for details.", failed.Comment);
    }

    [Fact]
    public void SuccessfulMinion_WithChanges_IsNotAFailure()
    {
        var summary = MinionSummarizer.Summarize("m1", Samples.First("hs.foo-prod.m1m2.stdout", "m1"));

        Assert.False(summary.IsFailure);
        Assert.Equal(1, summary.Succeeded);
        Assert.Equal(1, summary.Changed);
        Assert.Equal(50.795, summary.DurationMs, 3);
    }

    [Fact]
    public void JobReturnWrapper_IsUnwrapped_AsTheOriginalServerSentIt()
    {
        var wrapped = new JsonObject
        {
            ["ret"] = Samples.First("hs.foo-bad.m1.stdout", "m1"),
            ["retcode"] = 2,
            ["fun"] = "state.highstate",
        };

        var summary = MinionSummarizer.Summarize("m1", wrapped);

        Assert.Equal(MinionResultKind.States, summary.Kind);
        Assert.Equal(1, summary.Failed);
    }

    [Fact]
    public void UnexpectedShape_IsAFailureShownAsJson()
    {
        var summary = MinionSummarizer.Summarize("m1", JsonNode.Parse("42"));

        Assert.Equal(MinionResultKind.Unknown, summary.Kind);
        Assert.True(summary.IsFailure);
        Assert.Equal("42", Assert.Single(summary.Messages));
    }
}
