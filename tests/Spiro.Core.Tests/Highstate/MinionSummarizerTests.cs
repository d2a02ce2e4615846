using System.Text.Json.Nodes;
using Spiro.Core.Highstate;

namespace Spiro.Core.Tests.Highstate;

public sealed class MinionSummarizerTests
{
    private static JsonNode? Return(string stem, int line = 0, string minion = "m1") =>
        JsonNode.Parse(SaltSamples.StdoutLines(stem)[line])![minion];

    [Fact]
    public void Summarize_OneFailingState_CountsOkChangedFailedAndNamesTheFailure()
    {
        var summary = MinionSummarizer.Summarize("m1", Return("hs.foo-bad.m1"));

        Assert.Equal((MinionOutcome.Failed, 1, 1, 1), (summary.Outcome, summary.Ok, summary.Changed, summary.Failed));
        Assert.Equal(new FailingState("must_fail", "/bin/false", "failing", "Command \"/bin/false\" run"), Assert.Single(summary.FailingStates));
        Assert.Equal(20.851, summary.DurationMs, 3);
    }

    [Fact]
    public void Summarize_UnderTestTrue_CountsNullResultsAsWouldChangeNotFailed()
    {
        var summary = MinionSummarizer.Summarize("m1", Return("hs.foo-bad.m1.test"));

        Assert.Equal((MinionOutcome.Succeeded, 1, 2, 0), (summary.Outcome, summary.Ok, summary.Changed, summary.Failed));
        Assert.Empty(summary.FailingStates);
    }

    [Fact]
    public void Summarize_ListOfStrings_IsARenderError()
    {
        var summary = MinionSummarizer.Summarize("m1", Return("hs.render-error.m1"));

        Assert.Equal(MinionOutcome.RenderError, summary.Outcome);
        Assert.StartsWith("Rendering SLS 'foo/broken:brk' failed", Assert.Single(summary.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_MinionDidNotReturnString_IsNoReturn()
    {
        var summary = MinionSummarizer.Summarize("m2", Return("hs.m2-down", 1, "m2"));

        Assert.Equal(MinionOutcome.NoReturn, summary.Outcome);
        Assert.Contains("jobs.lookup_jid", Assert.Single(summary.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_NoTopMatchState_IsAFailureWithTheIdFromTheKey()
    {
        var summary = MinionSummarizer.Summarize("m2", Return("hs.foo-prod.m1m2", 0, "m2"));

        Assert.Equal(MinionOutcome.Failed, summary.Outcome);
        var failing = Assert.Single(summary.FailingStates);
        Assert.Equal(("states", "No States", ""), (failing.Id, failing.Name, failing.Sls));
        Assert.StartsWith("No Top file or master_tops data matches found", failing.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_ChangedState_CountsAsChanged()
    {
        var summary = MinionSummarizer.Summarize("m1", Return("hs.foo-prod.m1m2", 2));

        Assert.Equal((MinionOutcome.Succeeded, 0, 1, 0), (summary.Outcome, summary.Ok, summary.Changed, summary.Failed));
    }

    [Theory]
    [InlineData("\"Error: no.None\"")]
    [InlineData("\"The minion function caused an exception: Traceback ...\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Summarize_OtherShapes_AreErrors(string json)
    {
        var summary = MinionSummarizer.Summarize("m1", JsonNode.Parse(json));

        Assert.Equal(MinionOutcome.Error, summary.Outcome);
        Assert.Single(summary.Errors);
    }
}
