using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Cluster;

/// <summary>
/// Issue 17's real-Salt proof (docs/cluster.md): two salt-masters (127.0.0.1 and 127.0.0.2, same
/// ports), each with the spiro engine in cluster mode, and minions that list both masters. A deploy
/// through either master, then a highstate from the other, applies the new release. Without cluster
/// mode the other master would apply what its own store holds (tests/Spiro.RealSalt.Tests/Lab/TwoMasterLab.cs).
/// </summary>
[Collection(ClusterLabFixture.Collection)]
public sealed class TwoMasterClusterTests(ClusterLabFixture cluster)
{
    [ClusterSaltFact]
    public async Task ADeployThroughEitherMaster_IsWhatAHighstateFromTheOtherApplies()
    {
        var lab = cluster.Lab;
        var file = Path.Combine(lab.Layout.MinionConfigDir("m1"), "cache", "spiro-tests", "cluster-twin.txt");

        // v1 through master a, no highstate; a highstate from master b applies v1.
        var v1 = await DeployAsync(lab.SpiroUrl, "v1", "--no-highstate");
        Assert.True(v1.ExitCode == 0, v1.ToString());
        var release1 = LiveRelease(lab.Layout.SpiroData);
        Assert.NotNull(release1);
        Assert.Equal(release1, LiveRelease(lab.Layout.SecondSpiroData));
        await HighstateAsync(SaltLab.SecondMaster);
        Assert.Equal("v1", File.ReadAllText(file).Trim());

        // v2 through master b, with the deploy's own highstate (run by master b); then a highstate
        // from master a applies v2 again after the file is removed.
        var v2 = await DeployAsync(lab.SecondSpiroUrl, "v2");
        Assert.True(v2.ExitCode == 0, v2.ToString());
        Assert.Contains("m1", v2.Output, StringComparison.Ordinal);
        Assert.Equal("v2", File.ReadAllText(file).Trim());
        var release2 = LiveRelease(lab.Layout.SecondSpiroData);
        Assert.NotEqual(release1, release2);
        Assert.Equal(release2, LiveRelease(lab.Layout.SpiroData));
        File.Delete(file);
        await HighstateAsync("master");
        Assert.Equal("v2", File.ReadAllText(file).Trim());
    }

    private async Task<CommandResult> DeployAsync(Uri server, string marker, params string[] extra)
    {
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - twin\n");
        project.Write("_salt/twin/init.sls",
            $"twin-file:\n  file.managed:\n    - name: {{{{ opts['cachedir'] }}}}/spiro-tests/cluster-twin.txt\n    - contents: {marker}\n    - makedirs: True\n");
        return await cluster.Lab.DeployThroughAsync(server, project.Path, cluster.Token, "twin", "dev", extra);
    }

    private async Task HighstateAsync(string master)
    {
        var run = await cluster.Lab.RunOnAsync(master, "salt", ["m1", "state.highstate", "--out=json", "--static"], TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static string? LiveRelease(string data) =>
        new FileInfo(Path.Combine(data, "envs", "twin", "dev")).LinkTarget is { } target ? Path.GetFileName(target) : null;
}

/// <summary>A fact that needs real Salt, PostgreSQL and radosgw (skipped outside CI when one is missing).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterSaltFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Salt or a cluster service is missing outside CI.</summary>
    public ClusterSaltFactAttribute()
    {
        if (ClusterLabFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
