using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Tenancy;

/// <summary>
/// Target confinement on real Salt (docs/security.md): a project confined to m1 whose spirotop
/// targets '*' reaches m1 only, by the deploy's highstate and by plain highstates, in plain YAML
/// and in Jinja; a release published before the confinement is not read for top data.
/// </summary>
[Collection(SaltLabFixture.Collection)]
public sealed class TargetConfinementTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task ConfinedProject_SpirotopTargetingEveryMinion_NeverReachesM2()
    {
        var lab = salt.Lab;
        // The plain highstate below applies every live saltenv; another test's leftovers (an ID
        // such as app-file defined twice) would fail m1's whole run for reasons not tested here.
        await lab.DeleteEverySaltenvAsync();
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  '*':\n    - app\nold:\n  '*':\n    - app\n");
        WriteApp(project, "fence");
        var token = await lab.IssueTokenAsync("fence");
        // Published before the confinement: its '*' top reaches both minions until then.
        var early = await lab.DeployAsync(project.Path, token, "fence", "old", "--no-highstate");
        Assert.True(early.ExitCode == 0, early.ToString());

        var set = await lab.SpiroAsync("project", "set", "fence", "--allow-targets", "m1");

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("fence/old", set.Output, StringComparison.Ordinal);

        var deploy = await lab.DeployAsync(project.Path, token, "fence", "dev");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("m1", deploy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("m2", deploy.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(AppFile("m1", "fence")));
        Assert.False(File.Exists(AppFile("m2", "fence")));

        project.Write("_salt/spirotop.sls", "jinja:\n  '{{ grains['id'][:1] }}*':\n    - other\n");
        WriteApp(project, "fence-jinja", "other");
        var jinja = await lab.DeployAsync(project.Path, token, "fence", "jinja", "--no-highstate");
        Assert.True(jinja.ExitCode == 0, jinja.ToString());

        var tops = await lab.SaltJsonAsync("*", "state.show_top");
        var m1 = tops["m1"]!.ToJsonString();
        var m2 = tops["m2"]!.ToJsonString();
        Assert.Contains("\"fence/dev\":[\"app\"]", m1, StringComparison.Ordinal);
        Assert.Contains("\"fence/jinja\":[\"other\"]", m1, StringComparison.Ordinal);
        Assert.DoesNotContain("fence/", m2, StringComparison.Ordinal);
        // The release from before the confinement is read by neither minion.
        Assert.DoesNotContain("fence/old", m1, StringComparison.Ordinal);

        // A plain highstate of every minion: m2 never applies the project's states.
        File.Delete(AppFile("m1", "fence"));
        var plain = await lab.SaltAsync(TimeSpan.FromMinutes(5), "*", "state.highstate", "--out=json", "--static");
        Assert.True(plain.Output.Contains("fence-app", StringComparison.Ordinal), plain.ToString());
        Assert.True(File.Exists(AppFile("m1", "fence")), plain.ToString());
        Assert.True(File.Exists(AppFile("m1", "fence-jinja")), plain.ToString());
        Assert.False(File.Exists(AppFile("m2", "fence")));
        Assert.False(File.Exists(AppFile("m2", "fence-jinja")));

        var show = await lab.SpiroAsync("project", "show", "fence", "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("\"allow_targets\": \"m1\"", show.Output, StringComparison.Ordinal);
        Assert.Contains("\"top_read\": false", show.Output, StringComparison.Ordinal);

        // Lift it again, so the lab's other tests see an ordinary store.
        var clear = await lab.SpiroAsync("project", "set", "fence", "--clear");
        Assert.True(clear.ExitCode == 0, clear.ToString());
        foreach (var deployment in new[] { "dev", "jinja", "old" })
        {
            var delete = await lab.SpiroAsync("delete", $"fence/{deployment}", "--yes");
            Assert.True(delete.ExitCode == 0, delete.ToString());
        }
    }

    [SaltFact]
    public async Task ConfinedProject_BundleWithItsOwnTopFile_IsRefused()
    {
        var lab = salt.Lab;
        Assert.True((await lab.SpiroAsync("project", "set", "walled", "--allow-targets", "m1")).ExitCode == 0);
        using var project = new TempProject();
        project.Write("_salt/top.sls", "'walled/dev':\n  '*':\n    - app\n");
        WriteApp(project, "walled");
        var token = await lab.IssueTokenAsync("walled");

        var refused = await lab.DeployAsync(project.Path, token, "walled", "dev");

        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("top-kept-confined", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(lab.Layout.SpiroData, "envs", "walled", "dev")));
        Assert.True((await lab.SpiroAsync("project", "set", "walled", "--clear")).ExitCode == 0);
    }

    private static void WriteApp(TempProject project, string name, string state = "app") => project.Write(
        $"_salt/{state}/init.sls",
        $"{name}-app:\n  file.managed:\n    - name: {{{{ opts['cachedir'] }}}}/spiro-tests/{name}/app.conf\n    - contents: confined\n    - makedirs: True\n");

    private string AppFile(string minion, string name) =>
        Path.Combine(salt.Lab.Layout.MinionConfigDir(minion), "cache", "spiro-tests", name, "app.conf");
}
