using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.EndToEnd;

/// <summary>spiro-deploy --plan and --apply against the real server (Salt replayed).</summary>
public sealed class PlanApplyTests : IDisposable
{
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public void Dispose() => repo.Dispose();

    private Task<CliResult> RunAsync(TestServer server, string token, params string[] extra) =>
        CliRun.RunAsync(["--token", token, "--server", server.Url.ToString(), "--project-dir", repo.Path, "--artifact", "dist", .. extra, "foo", "prod"]);

    [Fact]
    public async Task Plan_PrintsItsIdDiffAndTestRun_ThenApplyMakesItLive_AndASecondApplyIsRefused()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-prod.m1m2", 0));
        var token = server.Issue("foo");
        var first = await RunAsync(server, token, "--no-highstate");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        repo.Write("_salt/app/init.sls", "app:\n  test.succeed_with_changes\n");

        var plan = await RunAsync(server, token, "--plan");

        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.Contains("sending 1 of ", plan.Stderr, StringComparison.Ordinal);
        var planLine = Assert.Single(plan.StdoutLines, l => l.StartsWith("Plan ", StringComparison.Ordinal) && l.Contains(" for foo/prod (against ", StringComparison.Ordinal));
        var planId = planLine.Split(' ')[1];
        Assert.Contains(plan.StdoutLines, l => l.StartsWith("~ app/init.sls", StringComparison.Ordinal));
        Assert.Contains(plan.StdoutLines, l => l.Contains("The candidate's top data selects 1 minion(s) (m1)", StringComparison.Ordinal));
        Assert.Contains(plan.StdoutLines, l => l.Contains($"saltenv=_spiro_plan/{planId} test=True", StringComparison.Ordinal));
        Assert.Contains($"Plan {planId}: nothing would fail; apply it with spiro-deploy --apply {planId}", plan.Stdout, StringComparison.Ordinal);

        var apply = await RunAsync(server, token, "--apply", planId, "--no-highstate");

        Assert.True(apply.ExitCode == ExitCodes.Ok, apply.ToString());
        Assert.Contains(apply.StdoutLines, l => l.StartsWith($"Published release {planId} to foo/prod", StringComparison.Ordinal));
        var again = await RunAsync(server, token, "--apply", planId);
        Assert.Equal(ExitCodes.BundleRejected, again.ExitCode);
        Assert.Contains("was applied already", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_AfterAnotherDeploy_IsRefusedWithExitFour_UnlessForced()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-prod.m1m2", 0));
        var token = server.Issue("foo");
        Assert.Equal(ExitCodes.Ok, (await RunAsync(server, token, "--no-highstate")).ExitCode);
        repo.Write("_salt/app/init.sls", "app:\n  test.succeed_with_changes\n");
        var plan = await RunAsync(server, token, "--plan", "--json");
        var planId = System.Text.Json.Nodes.JsonNode.Parse(plan.StdoutLines.Last())!["plan_id"]!.GetValue<string>();
        repo.Write("_salt/app/init.sls", "app:\n  test.nop\n");
        Assert.Equal(ExitCodes.Ok, (await RunAsync(server, token, "--no-highstate")).ExitCode);

        var stale = await RunAsync(server, token, "--apply", planId, "--no-highstate");
        var forced = await RunAsync(server, token, "--apply", planId, "--no-highstate", "--force");

        Assert.Equal(ExitCodes.BundleRejected, stale.ExitCode);
        Assert.Contains("the live release moved since this plan; plan again", stale.Stderr, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == ExitCodes.Ok, forced.ToString());
    }

    [Theory]
    [InlineData("--plan", "--apply", "20261201T170048Z-f93b81f9")]
    [InlineData("--force")]
    [InlineData("--apply", "latest")]
    public async Task PlanOptions_Misused_AreUsageErrors(params string[] options)
    {
        var result = await CliRun.RunAsync(["--token", "t", "--project-dir", repo.Path, .. options, "foo", "prod"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }
}
