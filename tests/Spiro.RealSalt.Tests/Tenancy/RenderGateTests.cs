using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Tenancy;

/// <summary>
/// The render gate on real Salt: a Jinja top that fails to render on the minions is refused before
/// it goes live, so no minion's top data changes; one that renders goes live as before.
/// </summary>
[Collection(SaltLabFixture.Collection)]
public sealed class RenderGateTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task Deploy_JinjaSpirotopThatFailsToRender_IsRefusedAndEveryMinionsTopIsUnchanged()
    {
        var lab = salt.Lab;
        var before = await TopsAsync(lab);
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "{% set x = salt['no.such_fn']() %}\ndev:\n  '*':\n    - app\n");
        project.Write("_salt/app/init.sls", "gate-ok:\n  test.succeed_without_changes\n");
        var token = await lab.IssueTokenAsync("gate");

        var refused = await lab.DeployAsync(project.Path, token, "gate", "dev");

        Assert.True(refused.ExitCode == 4, refused.ToString());
        Assert.Contains("fails to render on 2 of 2 minions (m1, m2)", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.Contains("no.such_fn", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, await TopsAsync(lab));
        Assert.False(Path.Exists(Path.Combine(lab.Layout.SpiroData, "envs", "gate", "dev")));
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(lab.Layout.SpiroData, "releases")), r => File.Exists(Path.Combine(r, "spirotop.sls")) && File.ReadAllText(Path.Combine(r, "spirotop.sls")).Contains("no.such_fn", StringComparison.Ordinal));

        // The same project with a top that renders goes live and highstates through the gate.
        project.Write("_salt/spirotop.sls", "{% set roles = grains.get('roles', []) %}\ndev:\n  '*':\n    - app\n");
        var passed = await lab.DeployAsync(project.Path, token, "gate", "dev");

        Assert.True(passed.ExitCode == 0, passed.ToString());
        var top = await lab.SaltJsonAsync("m1", "state.show_top");
        Assert.Contains("\"gate/dev\":[\"app\"]", top.ToJsonString(), StringComparison.Ordinal);

        var check = await lab.SpiroAsync("top", "check", "gate/dev", "--salt-command", Path.Combine(lab.Layout.BinDir, "salt"));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("renders on all 2 minions", check.Output, StringComparison.Ordinal);
    }

    /// <summary>Each minion's show_top, in minion order (Salt prints minions in the order they answer).</summary>
    private static async Task<string> TopsAsync(SaltLab lab)
    {
        var tops = await lab.SaltJsonAsync("*", "state.show_top");
        return string.Join("\n", SaltLabLayout.MinionIds.Select(id => $"{id}: {tops[id]?.ToJsonString()}"));
    }
}
