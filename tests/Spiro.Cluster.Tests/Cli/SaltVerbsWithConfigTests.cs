using Spiro.Cli;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Tests.Support;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Protocol.Highstate;
using Spiro.Testing.Services;
using Spiro.Testing.Tars;

namespace Spiro.Cluster.Tests.Cli;

/// <summary>
/// <c>spiro top check</c> and <c>spiro query-highstate</c> with <c>--config FILE</c> (docs/cli.md): the
/// file's data directory and Salt settings, as that master's server uses them; in a cluster the
/// highstate results are read from PostgreSQL, and a master that has not followed is named.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SaltVerbsWithConfigTests(ClusterServicesFixture services) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("spiro-saltcfg-").FullName;
    private readonly string _bucket = "saltcfg-" + Guid.NewGuid().ToString("N")[..16];

    public void Dispose()
    {
        foreach (var entry in new DirectoryInfo(_root).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }

        Directory.Delete(_root, recursive: true);
    }

    private string Argv => Path.Combine(_root, "salt.argv");

    [ClusterFact]
    public async Task TopCheck_WithAClusterConfig_RendersWithThatMastersSalt_AndRefusesAMasterThatHasNotFollowed()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var a = Config(database, "master-a");
        var b = Config(database, "master-b");
        var live = await PublishAsync(a);

        var check = await Spiro("top", "check", "foo/dev", "--config", a);
        var behind = await Spiro("top", "check", "foo/dev", "--config", b);

        Assert.True(check.ExitCode == 0, check.Error);
        Assert.Equal($"top file of foo/dev (release {live}): renders on all 1 minions\n  m1: ok\n", check.Output);
        Assert.Contains($"-c {Path.Combine(_root, "master-a", "salt")} * slsutil.renderer salt://top.sls saltenv=foo/dev", await File.ReadAllTextAsync(Argv), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Rejected, behind.ExitCode);
        Assert.Equal($"spiro top check: this master (master-b) serves nothing in foo/dev but the cluster's pointer names release {live}: it has not followed yet (spiro cluster status shows why)\n", behind.Error);
    }

    [ClusterFact]
    public async Task QueryHighstate_WithAClusterConfig_ReadsTheLiveReleasesResultsFromPostgres()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var a = Config(database, "master-a");
        var live = await PublishAsync(a);
        using (var metadata = PostgresMetadataDatabase.OpenDatabase(database))
        {
            new HighstateResultStore(metadata).Record(new HighstateRun(
                "run1", live, new SaltEnvName("foo", "dev"), Test: false, DateTimeOffset.UnixEpoch,
                [new MinionSummary("m1", MinionOutcome.Succeeded, 1, 1, 0, 0, [], [], 20, 0)]));
        }

        var query = await Spiro("query-highstate", "foo/dev", "--config", a);

        Assert.True(query.ExitCode == 0, query.Error);
        Assert.StartsWith("foo/dev: a highstate would run on 1 minion(s): m1\n", query.Output, StringComparison.Ordinal);
        Assert.Contains($"live release {live}: 1 highstate run(s)\n", query.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "master-a", "data", "spiro.db")));
    }

    private async Task<string> PublishAsync(string config)
    {
        var bundle = Path.Combine(_root, "v1.tar");
        TestTar.WriteFile(bundle, [new("init.sls", "v: 1\n")]);
        var published = await Spiro("publish", "foo/dev", bundle, "--config", config);
        Assert.True(published.ExitCode == 0, published.Error);
        var link = new FileInfo(Path.Combine(_root, "master-a", "data", "envs", "foo", "dev")).LinkTarget!;
        return Path.GetFileName(link);
    }

    // A master's settings file: its own data directory and Salt (a fake salt that logs its arguments).
    private string Config(string database, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var salt = Path.Combine(directory, "fake-salt");
        Directory.CreateDirectory(Path.Combine(directory, "salt"));
        File.WriteAllText(salt, """
            #!/bin/sh
            echo "$*" >> 'ARGV'
            case "$*" in
              *slsutil.renderer*) echo '{"m1": {"foo/dev": {"*": ["init"]}}}' ;;
              *state.show_top*) echo '{"m1": {"foo/dev": ["init"]}}' ;;
            esac
            """.Replace("ARGV", Argv, StringComparison.Ordinal));
        File.SetUnixFileMode(salt, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return ClusterConfigFile.Write(services, directory, "serve.yaml", database, _bucket, name,
            $"data: {Path.Combine(directory, "data")}\nsalt_command: {salt}\nsalt_config_dir: {Path.Combine(directory, "salt")}");
    }

    private static async Task<(int ExitCode, string Output, string Error)> Spiro(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
