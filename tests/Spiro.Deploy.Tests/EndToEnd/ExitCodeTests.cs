using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.EndToEnd;

/// <summary>Every exit code, driven by the real server (Salt replaying recorded outputs).</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public ExitCodeTests() => repo.Write("_salt/spirotop.sls", "prod:\n  '*':\n    - app\n");

    public void Dispose() => repo.Dispose();

    private Task<CliResult> DeployAsync(TestServer server, string token, params string[] extra) =>
        CliRun.RunAsync([.. new[] { "--token", token, "--server", server.Url.ToString(), "--project-dir", repo.Path }, .. extra, "foo", "prod"]);

    [Fact]
    public async Task AllMinionsSucceed_ExitsZero()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("m1: OK 1 succeeded (0 changed), 0 failed, 51.4 ms", result.StdoutLines);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("Published release ", StringComparison.Ordinal));
        Assert.Contains("Deploy succeeded (1 minion)", result.StdoutLines);
    }

    [Fact]
    public async Task NoHighstate_ExitsZeroAfterPublishing()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1", 1));

        var result = await DeployAsync(server, server.Issue("foo"), "--no-highstate");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.DoesNotContain(result.StdoutLines, l => l.StartsWith("m1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingState_ExitsOne_AndNamesTheState()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1", 1));

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Contains("m1: FAILED 2 succeeded (1 changed), 1 failed, 20.9 ms", result.StdoutLines);
        Assert.Contains("failed  must_fail (cmd.run /bin/false): Command \"/bin/false\" run", result.StdoutLines);
    }

    [Fact]
    public async Task RenderError_ExitsOne()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.render-error.m1", 1));

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Contains("m1: FAILED (render error)", result.StdoutLines);
    }

    [Fact]
    public async Task MinionThatDidNotReturn_ExitsOne()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1", "m2"], "hs.m2-down", 1));

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Contains("m2: FAILED (did not return)", result.StdoutLines);
    }

    [Fact]
    public async Task TargetedMinionThatIsDown_ExitsOne_AndIsListed()
    {
        // Old code: show_top never heard from m2, so it was not expected and the deploy exited 0.
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1.test", 0) { Down = ["m2"] });

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Contains("m2: FAILED (did not return)", result.StdoutLines);
        Assert.Contains("Minions that did not report: m2", result.StdoutLines);
    }

    [Fact]
    public async Task TargetedMinionThatIsDown_WithTolerateMissing_ExitsZero_AndIsStillListed()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1.test", 0) { Down = ["m2"] });

        var result = await DeployAsync(server, server.Issue("foo"), "--tolerate-missing");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Minions that did not report (tolerated): m2", result.StdoutLines);
    }

    [Fact]
    public async Task MinionThatNeverReported_ExitsOne_AndIsListed()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1", "m3"], "hs.foo-bad.m1.test", 0));

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Contains("Minions that did not report: m3", result.StdoutLines);
    }

    [Fact]
    public async Task TestRun_ShowsWhatWouldChange_AndExitsZero()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1.test", 0));

        var result = await DeployAsync(server, server.Issue("foo"), "--test");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("m1: WOULD CHANGE 1 succeeded (0 changed), 0 failed, 2 would change, 1.4 ms", result.StdoutLines);
    }

    [Fact]
    public async Task UnknownToken_ExitsThree()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));

        var result = await DeployAsync(server, "spiro_notatoken");

        Assert.True(result.ExitCode == ExitCodes.AuthRefused, result.ToString());
        Assert.Contains("refused the token", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenForAnotherProject_ExitsThree()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));

        var result = await DeployAsync(server, server.Issue("bar"));

        Assert.True(result.ExitCode == ExitCodes.AuthRefused, result.ToString());
        Assert.Contains("not valid for this project", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedSpirotop_IsARejectedBundle_ExitsFour()
    {
        repo.Write("_salt/spirotop.sls", "prod: [unclosed\n");
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.BundleRejected, result.ToString());
        Assert.Contains("spirotop.sls", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaltUnavailable_IsAServerError_ExitsSix()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0) { Unavailable = true });

        var result = await DeployAsync(server, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.ServerError, result.ToString());
        Assert.Contains("server error: salt: command not found", result.StdoutLines);
    }

    [Fact]
    public async Task SlowHighstatePastTimeout_ExitsFive()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0) { HighstateDelay = TimeSpan.FromSeconds(30) });

        var result = await DeployAsync(server, server.Issue("foo"), "--timeout", "2s");

        Assert.True(result.ExitCode == ExitCodes.Network, result.ToString());
        Assert.Contains("gave up after --timeout", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonOutput_AgainstTheRealServer_ParsesLineByLine_WithIncreasingIds()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1", "m2"], "hs.foo-prod.m1m2", 1));

        var result = await DeployAsync(server, server.Issue("foo"), "--json");

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        var objects = result.StdoutLines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList();
        var ids = objects.Where(o => o["id"] is not null).Select(o => long.Parse(o["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(2, objects.Count(o => o["event"]!.GetValue<string>() == "highstate-update"));
        Assert.Equal("spiro-deploy-result", objects[^1]["event"]!.GetValue<string>());
    }
}
