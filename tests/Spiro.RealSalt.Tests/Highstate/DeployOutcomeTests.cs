using System.Text.Json.Nodes;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Highstate;

/// <summary>spiro-deploy's exit code and the stored results follow what real minions returned.</summary>
[Collection(SaltLabFixture.Collection)]
public sealed class DeployOutcomeTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task Deploy_WithOneFailingState_ExitsOneAndNamesTheState()
    {
        var lab = salt.Lab;
        const string Project = "failing";
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - app\n");
        project.Write("_salt/app/init.sls", "fine:\n  test.succeed_without_changes\nbroken-on-purpose:\n  test.fail_without_changes\n");
        try
        {
            var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev");

            Assert.True(deploy.ExitCode == 1, deploy.ToString());
            Assert.Contains("broken-on-purpose", deploy.Output + deploy.Error, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(lab, Project);
        }
    }

    [SaltFact]
    public async Task Deploy_WithRenderError_ExitsOneAndSaysSo()
    {
        var lab = salt.Lab;
        const string Project = "rendering";
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - app\n");
        project.Write("_salt/app/init.sls", "bad:\n  test.succeed_without_changes:\n    - name: {{ undefined_variable.attribute }}\n");
        try
        {
            var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev");

            Assert.True(deploy.ExitCode == 1, deploy.ToString());
            Assert.Contains("undefined_variable", deploy.Output + deploy.Error, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(lab, Project);
        }
    }

    [SaltFact]
    public async Task Deploy_WithTestTrue_ExitsZeroAndChangesNothingOnTheMinion()
    {
        var lab = salt.Lab;
        const string Project = "dryrun";
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - app\n");
        project.Write("_salt/app/init.sls", StateFiles.Managed(Project, "would.txt", "app/would.txt"));
        project.Write("_salt/app/would.txt", "only in test mode\n");

        var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev", "--test");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.False(File.Exists(StateFiles.OnMinion(lab, "m1", Project, "would.txt")), "test=True wrote the file");
        var release = await LiveReleaseAsync(lab, Project);
        var run = Assert.Single(release["highstate"]!.AsArray());
        Assert.True(run!["test"]!.GetValue<bool>());
        // test=True: the state's result is None, which the result model counts as would-change, not changed.
        Assert.Equal(1, run["minions"]!["m1"]!["would_change"]!.GetValue<int>());
        Assert.Equal(0, run["minions"]!["m1"]!["changed"]!.GetValue<int>());
    }

    [SaltFact]
    public async Task Deploy_StoredResultsPerRelease_MatchWhatTheMinionsReturned()
    {
        var lab = salt.Lab;
        const string Project = "stored";
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  '*':\n    - app\n");
        project.Write("_salt/app/init.sls", "same:\n  test.succeed_without_changes\nchanging:\n  test.succeed_with_changes\nalso-same:\n  test.succeed_without_changes\n");

        var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        // The same states again, straight from Salt: these test states return the same every run.
        var direct = await lab.SaltJsonAsync("*", "state.highstate", $"saltenv={Project}/dev");
        var stored = Assert.Single((await LiveReleaseAsync(lab, Project))["highstate"]!.AsArray())!["minions"]!.AsObject();
        Assert.Equal(["m1", "m2"], stored.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        foreach (var minion in SaltLabLayout.MinionIds)
        {
            var states = direct[minion]!.AsObject().Select(pair => pair.Value!).ToList();
            Assert.Equal(3, states.Count);
            var changed = states.Count(state => state["result"]!.GetValue<bool>() && state["changes"]!.AsObject().Count > 0);
            var unchanged = states.Count(state => state["result"]!.GetValue<bool>() && state["changes"]!.AsObject().Count == 0);
            // Today's summary counts "ok" as succeeded without changes (issue 9's result model may redefine it).
            Assert.Equal(changed, stored[minion]!["changed"]!.GetValue<int>());
            Assert.Equal(unchanged, stored[minion]!["ok"]!.GetValue<int>());
            Assert.Equal(states.Count(state => !state["result"]!.GetValue<bool>()), stored[minion]!["failed"]!.GetValue<int>());
            Assert.Equal("succeeded", stored[minion]!["outcome"]!.GetValue<string>());
        }
    }

    internal static async Task<JsonObject> LiveReleaseAsync(SaltLab lab, string project)
    {
        var releases = await lab.SpiroAsync("releases", $"{project}/dev", "--json");
        Assert.True(releases.ExitCode == 0, releases.ToString());
        return JsonNode.Parse(releases.Output)!.AsArray().Single(release => release!["live"]!.GetValue<bool>())!.AsObject();
    }

    /// <summary>A broken saltenv would break every later plain highstate of the shared lab.</summary>
    internal static async Task DeleteAsync(SaltLab lab, string project)
    {
        var delete = await lab.SpiroAsync("delete", $"{project}/dev", "--yes");
        Assert.True(delete.ExitCode == 0, delete.ToString());
    }
}
