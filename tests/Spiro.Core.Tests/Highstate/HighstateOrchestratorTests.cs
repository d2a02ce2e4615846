using System.Text.Json.Nodes;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Tests.Highstate;

public sealed class HighstateOrchestratorTests : IDisposable
{
    private static readonly SaltEnvName FooProd = new("foo", "prod");
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-hs-").FullName;
    private readonly HighstateResultStore _results;

    public HighstateOrchestratorTests() => _results = new HighstateResultStore(MetadataDatabase.Open(Path.Combine(_directory, "spiro.db")));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Run_FooProd_HighstatesM1AndKeepsM2sFirstReturnOverTheBogusSecondDocument()
    {
        var salt = new ScriptedSaltClient()
            .Script("state.show_top", ["""{"m1": {"foo/prod": ["somestate"]}}""", """{"m2": {"foo/prod": ["x"]}}"""])
            .Sample("state.highstate", "hs.foo-prod.m1m2");

        var events = await RunAsync(salt, new HighstateRequest(FooProd, "r1", Test: false));

        Assert.Equal(
            [DeployEventNames.HighstateCalc, DeployEventNames.HighstateStart, DeployEventNames.HighstateUpdate, DeployEventNames.HighstateUpdate, DeployEventNames.HighstateFinish],
            events.Select(e => e.Name));
        Assert.Equal("""["m1","m2"]""", events[1].Data["minions"]!.ToJsonString());
        var m2 = events[2].Data;
        Assert.Equal("m2", (string?)m2["minion"]);
        Assert.Equal("No States", (string?)m2["result"]!["ret"]!["no_|-states_|-states_|-None"]!["name"]);
        Assert.Equal((2, "highstate"), ((int?)m2["result"]!["retcode"], (string?)m2["result"]!["out"]));
        Assert.Equal("m1", (string?)events[3].Data["minion"]);
        var finish = events[4].Data;
        Assert.Equal("failed", (string?)finish["minions"]!["m2"]!["outcome"]);
        Assert.Equal("succeeded", (string?)finish["minions"]!["m1"]!["outcome"]);
        Assert.Equal("[]", finish["missing"]!.ToJsonString());
        Assert.Equal(1, (int?)finish["salt_exit_code"]);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty((string?)e.Data["msg"])));
    }

    [Fact]
    public async Task Run_BuildsTheExactHighstateCommandLine()
    {
        var salt = new ScriptedSaltClient().Sample("state.show_top", "show_top.stream").Sample("state.highstate", "hs.m2-down");
        var options = new HighstateOptions { Timeout = TimeSpan.FromMinutes(5), BatchSize = "10%" };

        await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: true), options);

        Assert.Equal(["*", "state.show_top", "--out=json", "--out-indent=-1"], salt.Calls[0]);
        Assert.Equal(
            ["-L", "m1,m2", "state.highstate", "saltenv=jj/dev", "queue=True", "test=True", "--out=json", "--out-indent=-1", "--show-jid", "-t", "300", "--batch-size", "10%"],
            salt.Calls[1]);
    }

    [Fact]
    public async Task Run_WithMinionDown_ReportsItMissingAtFinish()
    {
        var salt = new ScriptedSaltClient().Sample("state.show_top", "show_top.stream").Sample("state.highstate", "hs.m2-down");

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: false));

        var finish = events[^1];
        Assert.Equal(DeployEventNames.HighstateFinish, finish.Name);
        Assert.Equal("""["m2"]""", finish.Data["missing"]!.ToJsonString());
        Assert.Contains("1 succeeded, 1 did not return", (string?)finish.Data["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithMinionDown_SendsOneUpdatePerMinion_TheDownOneAsCmdItersFailedAtTheEnd()
    {
        var salt = new ScriptedSaltClient().Sample("state.show_top", "show_top.stream").Sample("state.highstate", "hs.m2-down");

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: false));

        var updates = events.Where(e => e.Name == DeployEventNames.HighstateUpdate).ToList();
        Assert.Equal(["m1", "m2"], updates.Select(e => (string?)e.Data["minion"]));
        Assert.Equal("""{"failed":true}""", updates[1].Data["result"]!.ToJsonString());
        Assert.Equal(["jid", "out", "ret", "retcode"], updates[0].Data["result"]!.AsObject().Select(pair => pair.Key));
        Assert.False((bool?)events[^1].Data["passed"]);
    }

    [Fact]
    public async Task Run_WithTargetedMinionThatDidNotAnswerShowTop_NamesItFromTheMastersTargetMatching()
    {
        // Old code: show_top only hears from minions that answer, so m2 was never expected and CI passed.
        var salt = new ScriptedSaltClient()
            .Sample("state.show_top", "show_top.m2-down")
            .Preview("m*", "m1", "m2")
            .Sample("state.highstate", "hs.foo-bad.m1");
        var targets = new Spiro.Core.TopFiles.TopTargets.Known([new("m*", "glob")]);

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("foo", "bad"), "r1", Test: false, Targets: targets));

        var start = events.Single(e => e.Name == DeployEventNames.HighstateStart).Data;
        Assert.Equal(("""["m1"]""", """["m2"]"""), (start["minions"]!.ToJsonString(), start["missing"]!.ToJsonString()));
        Assert.Contains("expected but not answering: m2", (string?)start["msg"], StringComparison.Ordinal);
        Assert.Equal(["--preview-target", "--out=json", "--out-indent=-1", "--", "m*"], salt.Calls[1]);
        Assert.Equal("m1", salt.Calls[2][1]);
        var m2 = events.Last(e => e.Name == DeployEventNames.HighstateUpdate).Data;
        Assert.Equal(("m2", """{"failed":true}"""), ((string?)m2["minion"], m2["result"]!.ToJsonString()));
        var finish = events[^1].Data;
        Assert.Equal(("""["m2"]""", "no-return", false), (finish["missing"]!.ToJsonString(), (string?)finish["minions"]!["m2"]!["outcome"], (bool?)finish["passed"]));
    }

    [Fact]
    public async Task Run_WithMissingMinionTolerated_StillReportsItButPasses()
    {
        var salt = new ScriptedSaltClient()
            .Sample("state.show_top", "show_top.m2-down")
            .Preview("os:Debian", "m1", "m2")
            .Sample("state.highstate", "hs.m2-down");
        var targets = new Spiro.Core.TopFiles.TopTargets.Known([new("os:Debian", "grain")]);

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: false, TolerateMissing: true, Targets: targets));

        Assert.Equal(["--preview-target", "--out=json", "--out-indent=-1", "-G", "--", "os:Debian"], salt.Calls[1]);
        var finish = events[^1].Data;
        Assert.Equal(("""["m2"]""", true, true), (finish["missing"]!.ToJsonString(), (bool?)finish["passed"], (bool?)finish["tolerate_missing"]));
        Assert.Contains("tolerated as asked: m2 did not return", (string?)finish["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithJinjaTop_NamesAcceptedMinionsThatDidNotAnswer()
    {
        var salt = new ScriptedSaltClient()
            .Sample("state.show_top", "show_top.m2-down")
            .Preview("*", "m1", "m2", "m3")
            .Sample("state.highstate", "hs.foo-bad.m1");
        var targets = new Spiro.Core.TopFiles.TopTargets.Unknown("jinja");

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("foo", "bad"), "r1", Test: false, Targets: targets));

        var finish = events[^1].Data;
        Assert.Equal("""["m2","m3"]""", finish["unanswered"]!.ToJsonString());
        Assert.Contains("accepted minions that did not answer (they may use foo/bad): m2, m3", (string?)finish["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithMinionAbsentFromOutput_ReportsItMissing()
    {
        var salt = new ScriptedSaltClient()
            .Sample("state.show_top", "show_top.stream")
            .Script("state.highstate", [SaltSamples.StdoutLines("hs.m2-down")[0]], exitCode: 1);

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: false));

        Assert.Equal("""["m2"]""", events[^1].Data["missing"]!.ToJsonString());
        Assert.Equal("no-return", (string?)events[^1].Data["minions"]!["m2"]!["outcome"]);
    }

    [Fact]
    public async Task Run_WithNothingReturned_QuotesSaltsStdoutMessageAtFinish()
    {
        var salt = new ScriptedSaltClient()
            .Sample("state.show_top", "show_top.stream")
            .Script("state.highstate", ["No minions matched the target. No command was sent, no jid was assigned."], exitCode: 2);

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: false));

        var finish = events[^1].Data;
        Assert.Equal("Highstate of jj/dev finished: 2 did not return; salt said: No minions matched the target. No command was sent, no jid was assigned.", (string?)finish["msg"]);
        Assert.Equal("""["m1","m2"]""", finish["missing"]!.ToJsonString());
        Assert.Single(finish["salt_messages"]!.AsArray());
    }

    [Fact]
    public async Task Run_InBatchMode_IgnoresSaltsRetcodeAndJidKeysAndReportsUnansweredMinions()
    {
        // Not recorded: the shape salt/cli/batch.py prints (its part with the return renamed to the minion id,
        // retcode copied into a dict return, {} for a minion that stopped answering).
        var salt = new ScriptedSaltClient()
            .Sample("state.show_top", "show_top.stream")
            .Script("state.highstate", [
                "",
                "Executing run on ['m1']",
                "",
                """{"m1": {"test_|-ok_one_|-ok_one_|-succeed_without_changes": {"name": "ok_one", "changes": {}, "result": true, "comment": "Success!", "__run_num__": 0}, "retcode": 0}, "retcode": 0, "jid": "20261125132351554067"}""",
                "Executing run on ['m2']",
                """{"m2": {}, "jid": "20261125132351554068"}""",
            ]);

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: false), new HighstateOptions { BatchSize = "1" });

        Assert.Equal(["m1", "m2"], events.Where(e => e.Name == DeployEventNames.HighstateUpdate).Select(e => (string?)e.Data["minion"]));
        var minions = events[^1].Data["minions"]!;
        Assert.Equal(("succeeded", 1, 0), ((string?)minions["m1"]!["outcome"], (int?)minions["m1"]!["ok"], (int?)minions["m1"]!["failed"]));
        Assert.Equal("no-return", (string?)minions["m2"]!["outcome"]);
        Assert.Equal("""["m2"]""", events[^1].Data["missing"]!.ToJsonString());
        Assert.Equal(["m1", "m2"], minions.AsObject().Select(pair => pair.Key));
    }

    [Theory]
    [InlineData("hs.batch.m2-stopped", "m2")]
    [InlineData("hs.batch.m2-down", "m2")]
    public async Task Run_InBatchMode_OnRealRecordings_ReportsTheMinionThatDidNotReturnOnceAsFailedAtTheEnd(string sample, string down)
    {
        var salt = new ScriptedSaltClient()
            .Script("state.show_top", ["""{"m1": {"jj/dev": ["app"]}}""", """{"m2": {"jj/dev": ["app"]}}"""])
            .Sample("state.highstate", sample);

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("jj", "dev"), "r1", Test: false), new HighstateOptions { BatchSize = "1" });

        var update = Assert.Single(events, e => e.Name == DeployEventNames.HighstateUpdate && (string?)e.Data["minion"] == down);
        Assert.Equal("""{"failed":true}""", update.Data["result"]!.ToJsonString());
        Assert.Equal(DeployEventNames.HighstateFinish, events[events.IndexOf(update) + 1].Name);
        Assert.Equal(("no-return", false), ((string?)events[^1].Data["minions"]![down]!["outcome"], (bool?)events[^1].Data["passed"]));
    }

    [Fact]
    public async Task Run_InBatchMode_SendsSaltsOwnRetcodeAndJid()
    {
        var salt = new ScriptedSaltClient()
            .Script("state.show_top", ["""{"m1": {"foo/bad": ["app"]}}"""])
            .Sample("state.highstate", "hs.batch.foo-bad.m1");

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("foo", "bad"), "r1", Test: false), new HighstateOptions { BatchSize = "1" });

        var result = events.Single(e => e.Name == DeployEventNames.HighstateUpdate).Data["result"]!;
        Assert.Equal(("20261201143243526530", 2), ((string?)result["jid"], (int?)result["retcode"]));
        Assert.Equal(2, result["ret"]!.AsObject().Count);
    }

    [Fact]
    public async Task Run_WithNoAffectedMinion_SaysSoAndSkipsHighstate()
    {
        var salt = new ScriptedSaltClient().Sample("state.show_top", "show_top.stream");

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("foo", "dev"), "r1", Test: false));

        Assert.Equal([DeployEventNames.HighstateCalc, DeployEventNames.HighstateFinish], events.Select(e => e.Name));
        Assert.Contains("No minion's top data lists foo/dev", (string?)events[1].Data["msg"], StringComparison.Ordinal);
        Assert.Single(salt.Calls);
    }

    [Fact]
    public async Task Run_WithTracebackInShowTop_ReportsTheMinionsError()
    {
        var salt = new ScriptedSaltClient().Sample("state.show_top", "show_top.malformed-top");

        var events = await RunAsync(salt, new HighstateRequest(FooProd, "r1", Test: false));

        var errors = Assert.IsType<JsonObject>(events[^1].Data["errors"]);
        Assert.Contains("SaltRenderError", (string?)errors["m1"], StringComparison.Ordinal);
        Assert.Contains("1 minion(s) returned errors instead of top data: m1", (string?)events[^1].Data["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithSaltUnavailable_EmitsAnExceptionEventInsteadOfThrowing()
    {
        var salt = new ScriptedSaltClient().Unavailable("state.show_top", "salt command 'salt' was not found");

        var events = await RunAsync(salt, new HighstateRequest(FooProd, "r1", Test: false));

        Assert.Equal([DeployEventNames.HighstateCalc, DeployEventNames.Exception], events.Select(e => e.Name));
        Assert.Equal("salt command 'salt' was not found", (string?)events[1].Data["msg"]);
    }

    [Fact]
    public async Task Run_WithShowTopFailingWithoutOutput_EmitsExceptionWithStderr()
    {
        var salt = new ScriptedSaltClient().Script("state.show_top", [], exitCode: 2, stderr: "Salt request timed out. The master is not responding.\n");

        var events = await RunAsync(salt, new HighstateRequest(FooProd, "r1", Test: false));

        Assert.Equal(DeployEventNames.Exception, events[^1].Name);
        Assert.Equal("salt state.show_top failed with exit code 2: Salt request timed out. The master is not responding.", (string?)events[^1].Data["msg"]);
    }

    [Fact]
    public async Task Run_StoresPerMinionResultsWithTheRelease()
    {
        var salt = new ScriptedSaltClient()
            .Script("state.show_top", ["""{"m1": {"foo/bad": ["failing"]}}"""])
            .Sample("state.highstate", "hs.foo-bad.m1");

        var events = await RunAsync(salt, new HighstateRequest(new SaltEnvName("foo", "bad"), "20261125T140102Z-1a2b3c4d", Test: false));

        Assert.True((bool?)events[^1].Data["stored"]);
        var run = Assert.Single(_results.Query("20261125T140102Z-1a2b3c4d", new SaltEnvName("foo", "bad")));
        Assert.False(run.Test);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), run.FinishedAt);
        var m1 = Assert.Single(run.Minions);
        Assert.Equal((MinionOutcome.Failed, 1, 1, 1), (m1.Outcome, m1.Ok, m1.Changed, m1.Failed));
        Assert.Equal("must_fail", Assert.Single(m1.FailingStates).Id);
    }

    private async Task<List<DeployEvent>> RunAsync(ISaltClient salt, HighstateRequest request, HighstateOptions? options = null)
    {
        var orchestrator = new HighstateOrchestrator(salt, options ?? new HighstateOptions(), _results, new FixedTime());
        var events = new List<DeployEvent>();
        await foreach (var e in orchestrator.RunAsync(request, CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
    }
}
