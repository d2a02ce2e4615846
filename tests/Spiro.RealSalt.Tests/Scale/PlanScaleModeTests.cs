using Spiro.RealSalt.Tests.Plans;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Scale;

/// <summary>
/// A plan in scale mode, where <c>envs()</c> lists <c>__env__</c> and the master_tops module answers
/// the top data: the candidate is still reached only by the plan's own <c>saltenv=</c> run.
/// </summary>
[Collection(ScaleLabFixture.Collection)]
public sealed class PlanScaleModeTests(ScaleLabFixture scale)
{
    [SaltFact]
    public async Task Plan_InScaleMode_TestsTheCandidateOnly_AndNoPlainRunSeesIt()
    {
        var lab = scale.Lab;
        const string Name = "scaleplan";
        using var project = new TempProject();
        var token = await lab.IssueTokenAsync(Name);
        PlanTestSupport.Write(project, Name, "m1", "live\n");
        Assert.Equal(0, (await lab.DeployAsync(project.Path, token, Name, "dev")).ExitCode);
        var topsBefore = await PlanTestSupport.TopsAsync(lab);

        PlanTestSupport.Write(project, Name, "*", "candidate\n");
        var plan = await lab.DeployAsync(project.Path, token, Name, "dev", "--plan", "--json");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        var updates = PlanTestSupport.Events(plan, "highstate-update").Select(u => u["summary"]!).ToList();
        Assert.Equal(["m1", "m2"], updates.Select(u => u["minion"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(updates, summary => Assert.True(summary["would_change"]!.GetValue<int>() >= 1, summary.ToJsonString()));
        Assert.Equal(topsBefore, await PlanTestSupport.TopsAsync(lab));
        var plain = await lab.SaltAsync("m2", "state.highstate", "test=True", "--out=json");
        Assert.DoesNotContain($"{Name}-plan.txt", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("_spiro_plan", plain.Output, StringComparison.Ordinal);
        Assert.Equal("live\n", PlanTestSupport.Read(lab, "m1", Name));
        Assert.Null(PlanTestSupport.Read(lab, "m2", Name));
    }
}
