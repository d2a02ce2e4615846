using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Highstate;

/// <summary>How spirotops select minions on a real master.</summary>
[Collection(SaltLabFixture.Collection)]
public sealed class TopFileTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task JinjaSpirotop_TargetingByGrain_HighstatesOnlyTheMatchingMinion()
    {
        var lab = salt.Lab;
        const string Project = "bygrain";
        using var project = new TempProject();
        // Jinja, so Salt renders it per minion; the target is a grain match (m1 has roles: [web]).
        project.Write("_salt/spirotop.sls", "{% set role = 'web' %}\ndev:\n  'roles:{{ role }}':\n    - match: grain\n    - app\n");
        project.Write("_salt/app/init.sls", StateFiles.Managed(Project, "web.txt", "app/web.txt"));
        project.Write("_salt/app/web.txt", "for web servers\n");

        var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal("for web servers\n", await File.ReadAllTextAsync(StateFiles.OnMinion(lab, "m1", Project, "web.txt")));
        Assert.False(File.Exists(StateFiles.OnMinion(lab, "m2", Project, "web.txt")), "m2 has no web role but was highstated");
        var stored = (await DeployOutcomeTests.LiveReleaseAsync(lab, Project))["highstate"]!.AsArray().Single()!["minions"]!.AsObject();
        Assert.Equal(["m1"], stored.Select(pair => pair.Key));
    }

    [SaltFact]
    public async Task Deployment_WithNoSection_PublishesAndHighstatesNoMinion()
    {
        var lab = salt.Lab;
        const string Project = "nosection";
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "prod:\n  '*':\n    - app\n");
        project.Write("_salt/app/init.sls", StateFiles.Managed(Project, "prod.txt", "app/prod.txt"));
        project.Write("_salt/app/prod.txt", "prod only\n");

        var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.DoesNotContain("Highstating", deploy.Output, StringComparison.Ordinal);
        foreach (var minion in SaltLabLayout.MinionIds)
        {
            Assert.False(File.Exists(StateFiles.OnMinion(lab, minion, Project, "prod.txt")), $"{minion} was highstated");
        }

        var envs = await lab.SaltRunJsonAsync("fileserver.envs");
        Assert.Contains(envs!.AsArray(), env => env!.GetValue<string>() == $"{Project}/dev");
        var top = await lab.SaltJsonAsync("m1", "state.show_top", $"saltenv={Project}/dev");
        Assert.False(top["m1"]!.AsObject().ContainsKey($"{Project}/dev"), top.ToJsonString());
    }

    [SaltFact]
    public async Task PlainHighstate_WithoutSaltenv_RunsThePublishedSaltenvsTops()
    {
        var lab = salt.Lab;
        const string Project = "merged";
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm2':\n    - app\n");
        project.Write("_salt/app/init.sls", StateFiles.Managed(Project, "merged.txt", "app/merged.txt"));
        project.Write("_salt/app/merged.txt", "from the merged top\n");
        var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev", "--no-highstate");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var onMinion = StateFiles.OnMinion(lab, "m2", Project, "merged.txt");
        Assert.False(File.Exists(onMinion));

        // No saltenv: Salt merges the tops of every saltenv the backends list.
        var highstate = await lab.SaltJsonAsync("m2", "state.highstate");

        var states = highstate["m2"]!.AsObject();
        Assert.Contains(states, pair => pair.Key.Contains($"{Project}-merged.txt", StringComparison.Ordinal) && pair.Value!["result"]!.GetValue<bool>());
        Assert.Equal("from the merged top\n", await File.ReadAllTextAsync(onMinion));
    }
}
