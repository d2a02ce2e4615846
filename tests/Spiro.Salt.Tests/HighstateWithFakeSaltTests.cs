using System.Text.Json.Nodes;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

namespace Spiro.Salt.Tests;

/// <summary>The real orchestrator and salt client against the fake salt as a child process.</summary>
public sealed class HighstateWithFakeSaltTests
{
    [Fact]
    public async Task Highstate_FooProd_StreamsEachMinionAndIgnoresTheBogusSecondDocument()
    {
        using var salt = new FakeSalt(delaySeconds: 0.5);
        var showTop = Path.Combine(salt.Directory, "show_top.both");
        File.WriteAllText(showTop + ".stdout", "{\"m1\": {\"foo/prod\": [\"somestate\"]}}\n{\"m2\": {\"foo/prod\": [\"somestate\"]}}\n");
        salt.Set("FAKE_SALT_SHOW_TOP", showTop);
        var exitedAtFirstUpdate = (bool?)null;

        var events = await Run(salt, new SaltEnvName("foo", "prod"), onEvent: e =>
        {
            if (e.Name == DeployEventNames.HighstateUpdate)
            {
                exitedAtFirstUpdate ??= File.Exists(salt.ExitMarker);
            }
        });

        Assert.False(exitedAtFirstUpdate);
        Assert.Equal(
            [DeployEventNames.HighstateCalc, DeployEventNames.HighstateStart, DeployEventNames.HighstateUpdate, DeployEventNames.HighstateUpdate, DeployEventNames.HighstateFinish],
            events.Select(e => e.Name));
        Assert.Equal(["m2", "m1"], events.Where(e => e.Name == DeployEventNames.HighstateUpdate).Select(e => (string?)e.Data["minion"]));
        Assert.IsType<JsonObject>(events[2].Data["result"]);
        Assert.Equal("failed", (string?)events[^1].Data["minions"]!["m2"]!["outcome"]);
    }

    [Fact]
    public async Task Highstate_WithRenderError_ReportsTheMinionsErrorList()
    {
        using var salt = new FakeSalt("render-error");

        var events = await Run(salt, new SaltEnvName("foo", "broken"));

        var update = Assert.Single(events, e => e.Name == DeployEventNames.HighstateUpdate);
        Assert.StartsWith("Rendering SLS 'foo/broken:brk' failed", (string?)Assert.IsType<JsonArray>(update.Data["result"]!["ret"])[0], StringComparison.Ordinal);
        Assert.Equal("render-error", (string?)events[^1].Data["minions"]!["m1"]!["outcome"]);
        Assert.StartsWith("m1: render error: Rendering SLS", (string?)update.Data["msg"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Highstate_WithMinionDown_ReportsItMissing()
    {
        using var salt = new FakeSalt("m2-down");

        var events = await Run(salt, new SaltEnvName("jj", "dev"));

        Assert.Equal("""["m1","m2"]""", events[1].Data["minions"]!.ToJsonString());
        Assert.Equal("""["m2"]""", events[^1].Data["missing"]!.ToJsonString());
        Assert.Equal("succeeded", (string?)events[^1].Data["minions"]!["m1"]!["outcome"]);
    }

    [Fact]
    public async Task Highstate_WithTestTrue_CountsWouldChangeApartFromChangedAndNotFailed()
    {
        using var salt = new FakeSalt();

        var events = await Run(salt, new SaltEnvName("foo", "bad"), test: true);

        var m1 = events[^1].Data["minions"]!["m1"]!;
        Assert.Equal(("succeeded", 1, 0, 2, 0), ((string?)m1["outcome"], (int?)m1["ok"], (int?)m1["changed"], (int?)m1["would_change"], (int?)m1["failed"]));
        Assert.Contains("test=True", salt.Calls()[1]);
    }

    [Fact]
    public async Task Highstate_WithFailingState_NamesItAtFinish()
    {
        using var salt = new FakeSalt();

        var events = await Run(salt, new SaltEnvName("foo", "bad"));

        var failing = Assert.Single(Assert.IsType<JsonArray>(events[^1].Data["minions"]!["m1"]!["failing"]));
        Assert.Equal("must_fail", (string?)failing!["id"]);
        Assert.Equal(1, (int?)events[^1].Data["salt_exit_code"]);
        Assert.Equal("ERROR: Minions returned with non-zero exit code", (string?)events[^1].Data["salt_stderr"]);
    }

    [Fact]
    public async Task Highstate_RunsTheExactCommandLines()
    {
        using var salt = new FakeSalt();
        var options = new SaltOptions { Command = salt.Command, ConfigDirectory = salt.Directory, Timeout = TimeSpan.FromSeconds(45), BatchSize = "2" };

        await Run(salt, new SaltEnvName("jj", "dev"), options: options);

        Assert.Equal(
            [
                ["-c", salt.Directory, "*", "state.show_top", "--out=json", "--out-indent=-1"],
                ["-c", salt.Directory, "-L", "m1,m2", "state.highstate", "saltenv=jj/dev", "queue=True", "--out=json", "--out-indent=-1", "--show-jid", "-t", "45", "--batch-size", "2"],
            ],
            salt.Calls());
    }

    [Fact]
    public async Task Highstate_WithMalformedTopOnAMinion_ReportsItsTraceback()
    {
        using var salt = new FakeSalt("malformed-top");

        var events = await Run(salt, new SaltEnvName("foo", "prod"));

        Assert.Equal([DeployEventNames.HighstateCalc, DeployEventNames.HighstateFinish], events.Select(e => e.Name));
        Assert.Contains("Unable to render top file", (string?)events[^1].Data["errors"]!["m1"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Highstate_WithMissingSaltExecutable_EmitsAClearExceptionEvent()
    {
        using var salt = new FakeSalt();

        var events = await Run(salt, new SaltEnvName("foo", "prod"), options: new SaltOptions { Command = Path.Combine(salt.Directory, "no-salt-here") });

        Assert.Equal([DeployEventNames.HighstateCalc, DeployEventNames.Exception], events.Select(e => e.Name));
        Assert.Contains("could not be started", (string?)events[1].Data["msg"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("none")]
    public async Task Create_WithoutSaltCommand_GivesTheNoSaltService(string command)
    {
        var service = SaltHighstate.Create(new SaltOptions { Command = command }, results: null, TimeProvider.System);

        var events = await Collect(service, new HighstateRequest(new SaltEnvName("foo", "prod"), "r1", false));

        Assert.IsType<NoSaltHighstateService>(service);
        Assert.Equal(NoSaltHighstateService.NotConfigured, (string?)events[^1].Data["msg"]);
    }

    [Fact]
    public async Task Highstate_StoresResultsInTheMetadataDatabase()
    {
        using var salt = new FakeSalt("m2-down");
        var store = new HighstateResultStore(MetadataDatabase.Open(Path.Combine(salt.Directory, "spiro.db")));
        var service = SaltHighstate.Create(new SaltOptions { Command = salt.Command }, store, TimeProvider.System);

        await Collect(service, new HighstateRequest(new SaltEnvName("jj", "dev"), "r7", false));

        var run = Assert.Single(store.Query("r7", new SaltEnvName("jj", "dev")));
        Assert.Equal([MinionOutcome.Succeeded, MinionOutcome.NoReturn], run.Minions.Select(minion => minion.Outcome));
    }

    private static Task<List<DeployEvent>> Run(FakeSalt salt, SaltEnvName saltEnv, bool test = false, SaltOptions? options = null, Action<DeployEvent>? onEvent = null)
    {
        var service = SaltHighstate.Create(options ?? new SaltOptions { Command = salt.Command }, results: null, TimeProvider.System);
        return Collect(service, new HighstateRequest(saltEnv, "r1", test), onEvent);
    }

    private static async Task<List<DeployEvent>> Collect(IHighstateService service, HighstateRequest request, Action<DeployEvent>? onEvent = null)
    {
        var events = new List<DeployEvent>();
        await foreach (var e in service.RunAsync(request, CancellationToken.None))
        {
            onEvent?.Invoke(e);
            events.Add(e);
        }

        return events;
    }
}
