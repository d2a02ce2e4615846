using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Lab;

/// <summary>
/// A lab of its own with a second master on 127.0.0.2 (<see cref="SaltLabOptions.SecondMaster"/>):
/// both minions list both masters, each master runs its own engine, adapter and data directory.
/// </summary>
public sealed class TwoMasterLabFixture : IAsyncLifetime
{
    /// <summary>The xUnit collection whose tests share this lab.</summary>
    public const string Collection = "real Salt, two masters";

    private SaltLab? _lab;
    private string? _failure;

    /// <summary>The running lab.</summary>
    public SaltLab Lab => _lab ?? throw new InvalidOperationException(_failure ?? "the Salt lab is not started");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (SaltFactAttribute.SkipReason is not null)
        {
            return;
        }

        try
        {
            _lab = await SaltLab.StartAsync(new SaltLabOptions { SecondMaster = true });
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            _failure = exception.Message;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}

/// <summary>The two-master lab's collection.</summary>
[CollectionDefinition(TwoMasterLabFixture.Collection)]
public sealed class TwoMasterLabTestGroup : ICollectionFixture<TwoMasterLabFixture>;

/// <summary>
/// Salt's multi-master as SpiroFS meets it (docs/testing.md): a minion answers jobs from either master
/// and fetches a job's files from the master that published it. So every master must serve the same
/// release, or a highstate from one master applies what that master's store holds, which is what
/// these tests show with two independent stores (cluster mode, docs/cluster.md, makes them one).
/// </summary>
[Collection(TwoMasterLabFixture.Collection)]
public sealed class TwoMasterLabTests(TwoMasterLabFixture salt)
{
    [SaltFact]
    public async Task BothMasters_ReachBothMinions()
    {
        var lab = salt.Lab;
        foreach (var master in new[] { "master", SaltLab.SecondMaster })
        {
            var pings = await lab.SaltJsonOnAsync(master, "*", "test.ping", "-t", "30");
            Assert.True(pings["m1"]?.GetValue<bool>() == true && pings["m2"]?.GetValue<bool>() == true, $"{master}: {pings.ToJsonString()}");
        }
    }

    [SaltFact]
    public async Task AHighstate_AppliesTheReleaseOfTheMasterThatPublishedIt()
    {
        var lab = salt.Lab;
        var servers = new (string Master, Uri Server, string Data, string Marker)[]
        {
            ("master", lab.SpiroUrl, lab.Layout.SpiroData, "from-a"),
            (SaltLab.SecondMaster, lab.SecondSpiroUrl, lab.Layout.SecondSpiroData, "from-b"),
        };
        foreach (var (_, server, data, marker) in servers)
        {
            using var project = new TempProject();
            project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - twin\n");
            project.Write("_salt/twin/init.sls",
                $"twin-file:\n  file.managed:\n    - name: {{{{ opts['cachedir'] }}}}/spiro-tests/twin.txt\n    - contents: {marker}\n    - makedirs: True\n");
            var token = await lab.IssueTokenAsync(data, "twin", null);
            var deploy = await lab.DeployThroughAsync(server, project.Path, token, "twin", "dev", "--no-highstate");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
        }

        var file = Path.Combine(lab.Layout.MinionConfigDir("m1"), "cache", "spiro-tests", "twin.txt");
        foreach (var (master, _, _, marker) in servers.Concat(servers.Reverse()))
        {
            var run = await lab.RunOnAsync(master, "salt", ["m1", "state.highstate", "--out=json", "--static"], TimeSpan.FromMinutes(3));
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(marker, File.ReadAllText(file).Trim());
        }
    }
}
