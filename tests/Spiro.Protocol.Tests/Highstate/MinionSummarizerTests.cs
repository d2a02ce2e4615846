using System.Text.Json.Nodes;
using Spiro.Protocol.Highstate;

namespace Spiro.Protocol.Tests.Highstate;

/// <summary>The one result model, on every recording of real Salt 3006 (tests/salt-samples/README.md).</summary>
public sealed class MinionSummarizerTests
{
    /// <summary>Every first document of every recorded highstate: file, minion, outcome, Salt's retcode.</summary>
    public static TheoryData<string, string, MinionOutcome, int?> EveryRecordedReturn => new()
    {
        { "hs.foo-bad.m1.stdout", "m1", MinionOutcome.Failed, 2 },
        { "hs.foo-bad.m1.test.stdout", "m1", MinionOutcome.Succeeded, 0 },
        { "hs.foo-prod.m1m2.stdout", "m1", MinionOutcome.Succeeded, 0 },
        { "hs.foo-prod.m1m2.stdout", "m2", MinionOutcome.Failed, 2 },
        { "hs.render-error.m1.stdout", "m1", MinionOutcome.RenderError, 1 },
        { "hs.m2-down.stdout", "m1", MinionOutcome.Succeeded, 0 },
        { "hs.m2-down.stdout", "m2", MinionOutcome.NoReturn, null },
        { "hs.batch.foo-bad.m1.stdout", "m1", MinionOutcome.Failed, 2 },
        { "hs.batch.m2-down.stdout", "m1", MinionOutcome.Succeeded, 0 },
        { "hs.batch.m2-stopped.stdout", "m2", MinionOutcome.NoReturn, null },
        { "cmd_iter/cmd_iter-highstate-ok.jsonl", "m1", MinionOutcome.Succeeded, 0 },
        { "cmd_iter/cmd_iter-highstate-ok.jsonl", "m2", MinionOutcome.Succeeded, 0 },
        { "cmd_iter/cmd_iter-highstate-ok.jsonl", "ghost", MinionOutcome.NoReturn, null },
        { "cmd_iter/cmd_iter-highstate-failed.jsonl", "m1", MinionOutcome.Failed, 2 },
        { "cmd_iter/cmd_iter-highstate-failed.jsonl", "m2", MinionOutcome.Failed, 2 },
        { "cmd_iter/cmd_iter-highstate-render-error.jsonl", "m1", MinionOutcome.RenderError, 1 },
        { "cmd_iter/cmd_iter-highstate-test.jsonl", "m1", MinionOutcome.Succeeded, 0 },
    };

    [Theory]
    [MemberData(nameof(EveryRecordedReturn))]
    public void Summarize_EveryRecordedReturn_HasTheOutcomeAndRetcodeSaltGave(string file, string minion, MinionOutcome outcome, int? retcode)
    {
        var summary = MinionSummarizer.Summarize(minion, SaltSamples.First(file, minion));

        Assert.Equal((outcome, retcode), (summary.Outcome, summary.Retcode));
        Assert.Equal(outcome != MinionOutcome.Succeeded, summary.IsFailure);
    }

    [Fact]
    public void EveryRecording_IsCoveredByTheTable()
    {
        var covered = EveryRecordedReturn.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var recorded = Directory.EnumerateFiles(SaltSamples.Directory, "hs.*.stdout")
            .Concat(Directory.EnumerateFiles(Path.Combine(SaltSamples.Directory, "cmd_iter"), "*.jsonl"))
            .Select(path => Path.GetRelativePath(SaltSamples.Directory, path));

        Assert.All(recorded, file => Assert.Contains(file, covered));
    }

    [Fact]
    public void Summarize_OneFailingState_CountsEachKindAndNamesTheFailureInRunOrder()
    {
        var summary = MinionSummarizer.Summarize("m1", SaltSamples.First("hs.foo-bad.m1.stdout", "m1"));

        Assert.Equal((1, 1, 0, 1), (summary.Ok, summary.Changed, summary.WouldChange, summary.Failed));
        Assert.Equal(["must_fail", "ok_one", "change_one"], summary.States.Select(state => state.Id));
        var failing = Assert.Single(summary.FailingStates);
        Assert.Equal(("/bin/false", "cmd.run", "failing", "Command \"/bin/false\" run"), (failing.Name, failing.Function, failing.Sls, failing.Comment));
        Assert.Equal(20.851, summary.DurationMs, 3);
    }

    [Fact]
    public void Summarize_UnderTestTrue_NullResultsWouldChangeAndAreNotFailures()
    {
        var summary = MinionSummarizer.Summarize("m1", SaltSamples.First("hs.foo-bad.m1.test.stdout", "m1"));

        Assert.Equal((1, 0, 2, 0), (summary.Ok, summary.Changed, summary.WouldChange, summary.Failed));
    }

    [Fact]
    public void Summarize_NoTopMatchState_FailsWithTheIdFromTheKey()
    {
        var failing = Assert.Single(MinionSummarizer.Summarize("m2", SaltSamples.First("hs.foo-prod.m1m2.stdout", "m2")).FailingStates);

        Assert.Equal(("states", "No States", ""), (failing.Id, failing.Name, failing.Sls));
    }

    [Fact]
    public void Summarize_RenderErrorList_KeepsEachError()
    {
        var summary = MinionSummarizer.Summarize("m1", SaltSamples.First("hs.render-error.m1.stdout", "m1"));

        Assert.StartsWith("Rendering SLS 'foo/broken:brk' failed", Assert.Single(summary.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_BatchModeEmptyReturn_IsNoReturnNotZeroStates()
    {
        // Recorded: m2 stopped while its batch ran; salt/cli/batch.py gives it {"ret": {}} and prints
        // {"m2": {}}. A highstate that ran always has at least one state.
        var summary = MinionSummarizer.Summarize("m2", SaltSamples.First("hs.batch.m2-stopped.stdout", "m2"));

        Assert.Equal(MinionOutcome.NoReturn, summary.Outcome);
        Assert.True(summary.IsFailure);
    }

    [Fact]
    public void Summarize_StateWithoutResult_IsNotAFailureByItself()
    {
        // Salt's check_result does not fail a state for lacking "result" (it looks inside it instead),
        // and its highstate outputter does not count it: it is neither ok nor failed.
        var value = JsonNode.Parse("""{"cmd_|-x_|-true_|-run": {"comment": "no result key", "__run_num__": 0}}""");

        var summary = MinionSummarizer.Summarize("m1", value);

        Assert.Equal((MinionOutcome.Succeeded, 0, 1, 0), (summary.Outcome, summary.Retcode, summary.WouldChange, summary.Failed));
    }

    [Theory]
    [InlineData("\"Error: no.None\"")]
    [InlineData("\"The minion function caused an exception: Traceback ...\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Summarize_OtherShapes_AreErrorsWithRetcodeOne(string json)
    {
        var summary = MinionSummarizer.Summarize("m1", JsonNode.Parse(json));

        Assert.Equal((MinionOutcome.Error, 1), (summary.Outcome, summary.Retcode));
        Assert.Single(summary.Errors);
    }

    [Fact]
    public void Summarize_KeepsTheChangesOfFailingStatesOnly_AndTheyLiveThroughTheStoredJson()
    {
        var summary = MinionSummarizer.Summarize("m1", SaltSamples.First("hs.foo-bad.m1.stdout", "m1"));

        var failing = Assert.Single(summary.FailingStates);
        Assert.Equal(1, JsonNode.Parse(failing.Changes!)!["retcode"]!.GetValue<int>());
        Assert.All(summary.States.Where(state => state.Result != false), state => Assert.Null(state.Changes));

        var stored = HighstateJson.ReadFailingStates(HighstateJson.FailingStates(summary));
        Assert.Equal(JsonNode.Parse(failing.Changes!)!.ToJsonString(), JsonNode.Parse(Assert.Single(stored).Changes!)!.ToJsonString());
        Assert.True(stored[0].Changed);
    }

    [Fact]
    public void Summarize_ChangesOverTheBound_AreNotKept_ButStillCountAsChanges()
    {
        var diff = new string('x', StateResult.MaxKeptChangesBytes);
        var value = JsonNode.Parse($$$"""
            {"file_|-big_|-/etc/big_|-managed": {"__id__": "big", "name": "/etc/big", "result": false, "comment": "failed after writing",
              "changes": {"diff": "{{{diff}}}"}, "__run_num__": 0, "__sls__": "big", "duration": 1.0}}
            """);

        var summary = MinionSummarizer.Summarize("m1", value);

        var failing = Assert.Single(summary.FailingStates);
        Assert.Null(failing.Changes);
        Assert.True(failing.Changed);
        var json = HighstateJson.FailingStates(summary);
        Assert.Contains("\"changes_not_kept\":true", json, StringComparison.Ordinal);
        Assert.True(Assert.Single(HighstateJson.ReadFailingStates(json)).Changed);
    }

    [Fact]
    public void Summarize_ManyFailingStatesWithChanges_KeepOnlyTheFirstOnesWithinTheMinionsBudget()
    {
        var states = new JsonObject();
        for (var i = 0; i < 100; i++)
        {
            states[$"cmd_|-s{i}_|-false_|-run"] = new JsonObject
            {
                ["__id__"] = $"s{i}", ["name"] = "false", ["result"] = false, ["comment"] = "failed", ["__run_num__"] = i,
                ["changes"] = new JsonObject { ["stdout"] = new string('o', 4000) },
            };
        }

        var summary = MinionSummarizer.Summarize("m1", states);

        var failing = summary.FailingStates.ToList();
        Assert.Equal(100, failing.Count);
        var kept = failing.TakeWhile(state => state.Changes is not null).Count();
        Assert.InRange(kept, 10, 16);
        Assert.All(failing.Skip(kept), state => Assert.True(state.Changes is null && state.Changed));
        Assert.True(failing.Sum(state => state.Changes?.Length ?? 0) <= StateResult.MaxKeptChangesBytesPerMinion);
    }
}
