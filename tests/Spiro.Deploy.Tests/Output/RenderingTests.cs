using System.Text.Json;
using System.Text.Json.Nodes;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Output;
using Spiro.Deploy.Results;
using Spiro.Deploy.Tests.Support;
using Spiro.Deploy.Transport;
using DeployEventHandler = Spiro.Deploy.Deploying.EventHandler;

namespace Spiro.Deploy.Tests.Output;

public sealed class RenderingTests : IDisposable
{
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    public void Dispose()
    {
        stdout.Dispose();
        stderr.Dispose();
    }

    private ConsoleEnvironment Console => new(stdout, stderr, false, false, _ => null, TimeProvider.System);

    private static IEnumerable<SseMessage> Highstate(string sample, params string[] minions)
    {
        yield return Message("deploy-bundle", new JsonObject { ["msg"] = "Deployed foo/prod" });
        yield return Message("highstate-start", new JsonObject { ["msg"] = "Highstating", ["minions"] = new JsonArray([.. minions.Select(m => JsonValue.Create(m))]) });
        foreach (var (minion, value) in Samples.Documents(sample))
        {
            yield return Message("highstate-update", new JsonObject { ["msg"] = $"{minion} returned", ["minion"] = minion, ["result"] = value });
        }

        yield return Message("highstate-finish", new JsonObject { ["msg"] = "Highstate finished" });
    }

    private static SseMessage Message(string name, JsonObject data) => new(name, data.ToJsonString(), null);

    private static DeployTally Render(IDeployOutput output, IEnumerable<SseMessage> messages)
    {
        var tally = new DeployTally();
        var handler = new DeployEventHandler(output, tally);
        foreach (var message in messages)
        {
            handler.Handle(message);
        }

        output.Finish(tally, tally.FailedMinions.Count + tally.Unreported.Count > 0 ? ExitCodes.MinionFailed : ExitCodes.Ok);
        return tally;
    }

    private string[] Lines => stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void FailingMinion_GetsOneSummaryLineAndItsFailingState()
    {
        Render(new HumanOutput(Console, colour: true, verbose: false), Highstate("hs.foo-bad.m1.stdout", "m1"));

        Assert.Contains("m1: FAILED 2 succeeded (1 changed), 1 failed, 20.9 ms", Lines);
        Assert.Contains("  failed  must_fail (cmd.run /bin/false): Command \"/bin/false\" run", Lines);
        Assert.DoesNotContain(Lines, l => l.Contains("ok_one", StringComparison.Ordinal));
        Assert.Contains("Minions that failed: m1", Lines);
        Assert.DoesNotContain(stdout.ToString(), c => c == '\u001b');
    }

    [Fact]
    public void Verbose_ShowsEveryState()
    {
        Render(new HumanOutput(Console, colour: false, verbose: true), Highstate("hs.foo-bad.m1.stdout", "m1"));

        Assert.Contains("  ok      ok_one (test.succeed_without_changes ok_one): Success!", Lines);
        Assert.Contains("  changed change_one (test.succeed_with_changes change_one): Success!", Lines);
    }

    [Fact]
    public void RenderError_IsShownAsFailedWithTheText()
    {
        Render(new HumanOutput(Console, colour: false, verbose: false), Highstate("hs.render-error.m1.stdout", "m1"));

        Assert.Contains("m1: FAILED (render error)", Lines);
        Assert.Contains("    Rendering SLS 'foo/broken:brk' failed: while parsing a flow sequence", Lines);
    }

    [Fact]
    public void MinionThatDidNotReturn_IsShownAsFailed_AndAMissingOneAsUnreported()
    {
        var tally = Render(new HumanOutput(Console, colour: false, verbose: false), Highstate("hs.m2-down.stdout", "m1", "m2", "m3"));

        Assert.Contains("m1: OK 1 succeeded (0 changed), 0 failed, 51.4 ms", Lines);
        Assert.Contains("m2: FAILED (did not return)", Lines);
        Assert.Contains("Minions that did not report: m2, m3", Lines);
        Assert.Equal(["m2", "m3"], tally.Unreported);
    }

    [Fact]
    public void SecondReturnForAMinion_IsNotShownTwice()
    {
        Render(new HumanOutput(Console, colour: false, verbose: false), Highstate("hs.foo-prod.m1m2.stdout", "m1", "m2"));

        Assert.Single(Lines, l => l.StartsWith("m2:", StringComparison.Ordinal));
        Assert.Contains("  failed  states (no.None No States): No Top file or master_tops data matches found. Please see master log for details.", Lines);
    }

    [Fact]
    public void EveryEventMessage_IsPrintedOnItsOwnLine()
    {
        Render(new HumanOutput(Console, colour: false, verbose: false), Highstate("hs.foo-prod.m1m2.stdout", "m1", "m2"));

        Assert.Equal("Deployed foo/prod", Lines[0]);
        Assert.Equal("Highstating (2 minions: m1, m2)", Lines[1]);
        Assert.Contains("Highstate finished", Lines);
    }

    [Fact]
    public void JsonOutput_IsOneParsableObjectPerLine_EndingWithTheResult()
    {
        Render(new JsonOutput(Console), Highstate("hs.foo-prod.m1m2.stdout", "m1", "m2"));

        var objects = Lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(
            ["deploy-bundle", "highstate-start", "highstate-update", "highstate-update", "highstate-update", "highstate-finish", JsonOutput.ResultEvent],
            objects.Select(o => o["event"]!.GetValue<string>()));
        var duplicate = objects[3]["summary"]!;
        Assert.True(duplicate["duplicate"]!.GetValue<bool>());
        Assert.Equal(JsonValueKind.String, objects[3]["data"]!["result"]!.GetValueKind());
        Assert.Equal(1, objects[^1]["exit_code"]!.GetValue<int>());
        Assert.Equal(["m2"], objects[^1]["failed"]!.AsArray().Select(n => n!.GetValue<string>()));
    }
}
