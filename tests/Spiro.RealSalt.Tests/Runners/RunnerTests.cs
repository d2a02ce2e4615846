using System.Text.Json.Nodes;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Runners;

/// <summary>Every `salt-run spiro.*` runner on a real master, against the store the engine's server writes.</summary>
[Collection(SaltLabFixture.Collection)]
public sealed class RunnerTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task TokenRunners_IssueCheckInspectListRevoke_ThroughSaltRun()
    {
        var lab = salt.Lab;
        var issued = await lab.SaltRunJsonAsync("spiro.issue_token", "runners", "deployments=dev", "label=runner-test") as JsonObject;
        var token = issued?["token"]?.GetValue<string>();
        var id = issued?["id"]?.GetValue<string>();
        Assert.StartsWith("spiro_", token, StringComparison.Ordinal);
        Assert.Equal(["runners"], issued!["projects"]!.AsArray().Select(project => project!.GetValue<string>()));

        var check = await lab.SaltRunAsync("spiro.check_token", token!, "saltenv=runners/dev", "--out=json");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(JsonNode.Parse(check.Output)?["valid"]?.GetValue<bool>(), check.ToString());

        var inspected = await lab.SaltRunJsonAsync("spiro.inspect_token", id!);
        Assert.Equal("runner-test", inspected?["label"]?.GetValue<string>());
        Assert.DoesNotContain(token!, inspected!.ToJsonString(), StringComparison.Ordinal);

        var listed = await lab.SaltRunJsonAsync("spiro.list_tokens");
        Assert.Contains(listed!.AsArray(), entry => entry?["id"]?.GetValue<string>() == id);

        var revoked = await lab.SaltRunAsync("spiro.revoke_token", id!, "--out=json");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());

        var refused = await lab.SaltRunAsync("spiro.check_token", token!, "--out=json");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.False(JsonNode.Parse(refused.Output)?["valid"]?.GetValue<bool>(), refused.ToString());
    }

    [SaltFact]
    public async Task DeploymentRunners_ListQueryRollback_ThenHighstateBringsBackTheOldContent()
    {
        var lab = salt.Lab;
        const string Project = "rollback";
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - app\n");
        project.Write("_salt/app/init.sls", StateFiles.Managed(Project, "version.txt", "app/version.txt"));
        var token = await lab.IssueTokenAsync(Project);
        project.Write("_salt/app/version.txt", "one\n");
        var first = await lab.DeployAsync(project.Path, token, Project, "dev");
        Assert.True(first.ExitCode == 0, first.ToString());
        var oldRelease = LiveRelease(await lab.SaltRunJsonAsync("spiro.list_deployments"), Project);
        project.Write("_salt/app/version.txt", "two\n");
        var second = await lab.DeployAsync(project.Path, token, Project, "dev");
        Assert.True(second.ExitCode == 0, second.ToString());
        var onMinion = StateFiles.OnMinion(lab, "m1", Project, "version.txt");
        Assert.Equal("two\n", await File.ReadAllTextAsync(onMinion));

        var newRelease = LiveRelease(await lab.SaltRunJsonAsync("spiro.list_deployments"), Project);
        Assert.NotEqual(oldRelease, newRelease);
        var query = await lab.SaltRunJsonAsync("spiro.query_highstate", $"{Project}/dev");
        Assert.Equal(newRelease, query?["release"]?.GetValue<string>());
        Assert.Equal(["m1"], query!["minions"]!.AsArray().Select(minion => minion!.GetValue<string>()));
        var stored = Assert.Single(query["results"]!.AsArray());
        Assert.Equal("succeeded", stored!["minions"]!["m1"]!["outcome"]!.GetValue<string>());

        var rollback = await lab.SaltRunAsync("spiro.rollback", $"{Project}/dev");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains(oldRelease, rollback.Output, StringComparison.Ordinal);
        Assert.Equal(oldRelease, LiveRelease(await lab.SaltRunJsonAsync("spiro.list_deployments"), Project));

        var highstate = await lab.SaltAsync("m1", "state.highstate", $"saltenv={Project}/dev", "--out=json", "--static");
        Assert.True(highstate.ExitCode == 0, highstate.ToString());
        Assert.Equal("one\n", await File.ReadAllTextAsync(onMinion));
    }

    private static string LiveRelease(JsonNode? deployments, string project) =>
        deployments!.AsArray().Single(entry => entry?["saltenv"]?.GetValue<string>() == $"{project}/dev")!["live_release"]!.GetValue<string>();
}
