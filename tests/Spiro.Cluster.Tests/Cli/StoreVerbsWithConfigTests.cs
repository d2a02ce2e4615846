using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Spiro.Cli;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Tests.Support;
using Spiro.Testing.Services;
using Spiro.Testing.Tars;

namespace Spiro.Cluster.Tests.Cli;

/// <summary>
/// The admin verbs with <c>--config FILE</c> (docs/cluster.md): given a master's settings file they
/// act on the cluster as the server does (metadata in PostgreSQL, the cross-master lock, the
/// pointer and NOTIFY), and a running master follows.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StoreVerbsWithConfigTests(ClusterServicesFixture services) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("spiro-configcli-").FullName;
    private ClusterMaster? _follower;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_follower is not null)
        {
            await _follower.DisposeAsync();
        }

        foreach (var entry in new DirectoryInfo(_root).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }

        Directory.Delete(_root, recursive: true);
    }

    private string Data => Path.Combine(_root, "a", "data");

    [ClusterFact]
    public async Task PublishAndRollback_WithAClusterConfig_MoveTheClustersPointer_AndARunningMasterFollows()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var bucket = "cfgcli-" + Guid.NewGuid().ToString("N")[..16];
        _follower = await ClusterMaster.StartAsync(services, _root, "master-b", database, bucket);
        var config = Config(database, bucket);

        foreach (var version in new[] { "1", "2" })
        {
            var bundle = Path.Combine(_root, $"v{version}.tar");
            TestTar.WriteFile(bundle, [new("init.sls", $"v: {version}\n")]);
            var published = await Spiro("publish", "foo/dev", bundle, "--config", config);
            Assert.True(published.ExitCode == 0, published.Error);
        }

        var releases = JsonDocument.Parse((await Spiro("releases", "foo/dev", "--config", config, "--json")).Output).RootElement;
        // ids[0]: the first publish, ids[1]: the second (live).
        var ids = releases.EnumerateArray().OrderBy(r => r.GetProperty("live").GetBoolean()).Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(2, ids.Count);
        await EventuallyAsync(() => _follower.Live("foo/dev") == ids[1], "master-b follows the CLI's publish");

        var rollback = await Spiro("rollback", "foo/dev", "--config", config);

        Assert.True(rollback.ExitCode == 0, rollback.Error);
        Assert.Equal(ids[0], Path.GetFileName(new FileInfo(Path.Combine(Data, "envs", "foo", "dev")).LinkTarget));
        await EventuallyAsync(() => _follower.Live("foo/dev") == ids[0], "master-b follows the CLI's rollback");
        Assert.Equal("v: 1\n", await File.ReadAllTextAsync(_follower.Served("foo/dev", "init.sls")!));
        Assert.False(File.Exists(Path.Combine(Data, "spiro.db")));
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var connection = (NpgsqlConnection)metadata.Connect();
        using var pointer = new NpgsqlCommand("SELECT release_id || ' ' || changed_by FROM cluster_pointers WHERE saltenv = 'foo/dev'", connection);
        Assert.Equal($"{ids[0]} master-a", pointer.ExecuteScalar());
        var history = (await Spiro("history", "foo/dev", "--config", config, "--json")).Output;
        Assert.Contains("\"rollback\"", history, StringComparison.Ordinal);
    }

    [ClusterFact]
    public async Task TokenIssue_WithAClusterConfig_IsKeptInPostgres_AndProjectSetIsRefusedNamingWhy()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var config = Config(database, "cfgcli-" + Guid.NewGuid().ToString("N")[..16]);

        var issued = await Spiro("token", "issue", "foo", "--label", "ci", "--config", config);
        var listed = await Spiro("token", "list", "--config", config, "--json");
        var project = await Spiro("project", "set", "foo", "--allow-targets", "G@role:web", "--config", config);

        Assert.True(issued.ExitCode == 0, issued.Error);
        Assert.Contains("\"label\": \"ci\"", listed.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Data, "spiro.db")));
        using (var metadata = PostgresMetadataDatabase.OpenDatabase(database))
        using (var connection = (NpgsqlConnection)metadata.Connect())
        using (var count = new NpgsqlCommand("SELECT COUNT(*) FROM tokens", connection))
        {
            Assert.Equal(1L, count.ExecuteScalar());
        }

        Assert.Equal(ExitCodes.Usage, project.ExitCode);
        Assert.Contains("spiro project cannot act on a cluster", project.Error, StringComparison.Ordinal);
    }

    private string Config(string database, string bucket)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "a")).FullName;
        return ClusterConfigFile.Write(services, directory, "serve.yaml", database, bucket, "master-a", $"data: {Data}");
    }

    private static async Task<(int ExitCode, string Output, string Error)> Spiro(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new Xunit.Sdk.XunitException($"not within 60 s: {what}\n{await File.ReadAllTextAsync(_follower!.Log)}");
            }

            await Task.Delay(100);
        }
    }
}
