using System.Text.Json.Nodes;
using Spiro.Testing;
using Spiro.Testing.Salt;
using static Spiro.RealSalt.Tests.Plans.PlanTestSupport;

namespace Spiro.RealSalt.Tests.Plans;

/// <summary>
/// Plan, then apply, on real Salt (docs/salt.md "Plans"): the candidate's test=True highstate runs
/// in the unlisted saltenv _spiro_plan/&lt;id&gt;, no other highstate, show_top or listing sees it,
/// and apply makes exactly the planned content live.
/// </summary>
[Collection(SaltLabFixture.Collection)]
public sealed class PlanTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task Plan_WithTestTrue_ReportsWouldChangePerMinion_WhileLiveFilesAndAConcurrentHighstateAreUntouched_ThenApplyMakesItLive()
    {
        var lab = salt.Lab;
        const string Name = "planned";
        using var project = new TempProject();
        var token = await lab.IssueTokenAsync(Name);
        Write(project, Name, "m1", "live\n");
        var deploy = await lab.DeployAsync(project.Path, token, Name, "dev");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var liveRelease = new FileInfo(Path.Combine(lab.Layout.SpiroData, "envs", Name, "dev")).LinkTarget;
        var topsBefore = await TopsAsync(lab);

        // The candidate moves the state to m2 with other content; an ordinary highstate of the live
        // saltenv on m1 (the live top's minion, as a deploy runs it) runs meanwhile. Salt runs one state job per minion at a time, so m1
        // may answer the plan's show_top with "already running" instead of its top data.
        Write(project, Name, "m2", "candidate\n");
        var planning = lab.DeployAsync(project.Path, token, Name, "dev", "--plan", "--json");
        var ordinary = lab.SaltJsonAsync("m1", "state.highstate", $"saltenv={Name}/dev", "queue=True", "-t", "120");
        await Task.WhenAll(planning, ordinary);
        var plan = await planning;

        Assert.True(plan.ExitCode == 0, plan.ToString());
        var planEvent = Assert.Single(Events(plan, "plan"));
        var planId = planEvent["data"]!["plan_id"]!.GetValue<string>();
        Assert.Contains(planEvent["data"]!["diff"]!["files"]!.AsArray(), f => f!["path"]!.GetValue<string>() == "app/plan.txt" && f["change"]!.GetValue<string>() == "changed");
        var minions = Assert.Single(Events(plan, "plan-minions"))["data"]!;
        Assert.Equal(["m2"], minions["candidate"]!.AsArray().Select(m => m!.GetValue<string>()));
        var live = minions["live"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.True(live.SequenceEqual(["m1"]) || (live.Count == 0 && minions["errors"]!.AsObject().ContainsKey("m1")), minions.ToJsonString());
        var updates = Events(plan, "highstate-update").ToDictionary(u => u["summary"]!["minion"]!.GetValue<string>(), u => u["summary"]!);
        Assert.Equal(["m2"], updates.Keys);
        Assert.All(updates.Values, summary => Assert.True(summary["would_change"]!.GetValue<int>() >= 1 && !summary["failed"]!.GetValue<bool>(), summary.ToJsonString()));
        Assert.Equal(planId, Assert.Single(Events(plan, "spiro-deploy-result"))["plan_id"]!.GetValue<string>());

        // Nothing but the plan's own run saw the candidate.
        Assert.Equal("live\n", Read(lab, "m1", Name));
        Assert.Null(Read(lab, "m2", Name));
        var concurrent = await ordinary;
        Assert.DoesNotContain("_spiro_plan", concurrent.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains($"{Name}-plan.txt", concurrent["m1"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(topsBefore, await TopsAsync(lab));
        Assert.Equal(liveRelease, new FileInfo(Path.Combine(lab.Layout.SpiroData, "envs", Name, "dev")).LinkTarget);
        var envs = (await lab.SaltRunJsonAsync("fileserver.envs"))!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.DoesNotContain(envs, e => e.StartsWith("_spiro", StringComparison.Ordinal));
        var served = await lab.SaltJsonAsync("m1", "cp.get_file_str", "salt://app/plan.txt", $"saltenv={Name}/dev");
        Assert.Equal("live\n", served["m1"]!.GetValue<string>());
        // m2's own plain run (its live top data does not list the saltenv) does not meet the candidate either.
        var plain = await lab.SaltAsync("m2", "state.highstate", "test=True", "--out=json");
        Assert.DoesNotContain($"{Name}-plan.txt", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("_spiro_plan", plain.Output, StringComparison.Ordinal);

        // Apply: exactly the planned candidate goes live and is highstated.
        var apply = await lab.DeployAsync(project.Path, token, Name, "dev", "--apply", planId);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal($"../../releases/{planId}", new FileInfo(Path.Combine(lab.Layout.SpiroData, "envs", Name, "dev")).LinkTarget);
        Assert.Equal("candidate\n", Read(lab, "m2", Name));
        Assert.Equal("live\n", Read(lab, "m1", Name));
        var again = await lab.DeployAsync(project.Path, token, Name, "dev", "--apply", planId);
        Assert.True(again.ExitCode == 4, again.ToString());

        var delete = await lab.SpiroAsync("delete", $"{Name}/dev", "--yes");
        Assert.True(delete.ExitCode == 0, delete.ToString());
    }

    [SaltFact]
    public async Task Plan_WithAStateThatWouldFail_ExitsOne_AndAStalePlanIsRefused()
    {
        var lab = salt.Lab;
        const string Name = "planfail";
        using var project = new TempProject();
        var token = await lab.IssueTokenAsync(Name);
        Write(project, Name, "m2", "one\n");
        Assert.Equal(0, (await lab.DeployAsync(project.Path, token, Name, "dev", "--no-highstate")).ExitCode);

        project.Write("_salt/app/init.sls", "would-fail:\n  test.fail_without_changes\n");
        var plan = await lab.DeployAsync(project.Path, token, Name, "dev", "--plan", "--json");

        Assert.True(plan.ExitCode == 1, plan.ToString());
        var planId = Assert.Single(Events(plan, "plan"))["data"]!["plan_id"]!.GetValue<string>();
        Assert.Contains("would-fail", plan.Output, StringComparison.Ordinal);

        Write(project, Name, "m2", "two\n");
        Assert.Equal(0, (await lab.DeployAsync(project.Path, token, Name, "dev", "--no-highstate")).ExitCode);
        var stale = await lab.DeployAsync(project.Path, token, Name, "dev", "--apply", planId);
        Assert.True(stale.ExitCode == 4, stale.ToString());
        Assert.Contains("the live release moved since this plan; plan again", stale.Output + stale.Error, StringComparison.Ordinal);

        var delete = await lab.SpiroAsync("delete", $"{Name}/dev", "--yes");
        Assert.True(delete.ExitCode == 0, delete.ToString());
    }
}
