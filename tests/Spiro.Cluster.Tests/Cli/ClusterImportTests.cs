using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using Spiro.Cli;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Cluster.Tests.Support;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Cli;

/// <summary>
/// <c>spiro cluster import</c> (docs/cluster.md "Moving a single master into a cluster"): a store made
/// by single-master <c>spiro publish</c> and <c>spiro token issue</c>, imported, then served by
/// <c>spiro serve</c> in cluster mode on the same data directory and by a new master.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterImportTests(ClusterServicesFixture services) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("spiro-import-").FullName;
    private readonly string _bucket = "imp-" + Guid.NewGuid().ToString("N")[..16];
    private readonly List<ClusterMaster> _masters = [];

    // The single master's data directory: master-a's once it runs in cluster mode.
    private string Data => Path.Combine(_root, "master-a", "data");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var master in _masters)
        {
            await master.DisposeAsync();
        }

        foreach (var entry in new DirectoryInfo(_root).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [ClusterFact]
    public async Task Import_OfASingleMasterStore_IsServedByteForByteInClusterMode_ItsTokenDeploys_AndTheAuditChainVerifies()
    {
        var first = new Dictionary<string, string> { ["init.sls"] = "web: {}\n", ["files/motd"] = "hello\n" };
        var second = new Dictionary<string, string> { ["init.sls"] = "web: {port: 8080}\n", ["files/motd"] = "hello\n", ["run.sh*"] = "#!/bin/sh\necho hi\n" };
        await PublishAsync("foo/dev", first);
        await PublishAsync("foo/dev", second);
        await PublishAsync("foo/prod", first);
        var issued = await Spiro("token", "issue", "foo", "--label", "ci", "--json", "--data", Data);
        Assert.True(issued.ExitCode == 0, issued.Error);
        var token = JsonDocument.Parse(issued.Output).RootElement.GetProperty("token").GetString()!;
        var live = Live(Data, "foo/dev")!;
        var single = SingleMasterView();
        var database = await services.Postgres.CreateDatabaseAsync();
        var config = Config(database);

        var import = await Spiro("cluster", "import", "--config", config, "--data", Data);

        Assert.True(import.ExitCode == 0, import.Error + import.Output);
        Assert.Contains("saltenv foo/dev: " + live, import.Output, StringComparison.Ordinal);
        var a = await StartAsync("master-a", database);
        var b = await StartAsync("master-b", database);
        Assert.Equal(live, a.Live("foo/dev"));
        Assert.Equal(live, b.Live("foo/dev"));
        Assert.Equal(Live(Data, "foo/prod"), b.Live("foo/prod"));
        AssertServes(b, "foo/dev", second);
        AssertServes(a, "foo/dev", second);
        Assert.Equal(UnixFileMode.UserExecute, File.GetUnixFileMode(b.Served("foo/dev", "run.sh")!) & UnixFileMode.UserExecute);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(Data, "manifests", live + ".json")),
            await File.ReadAllTextAsync(Path.Combine(b.Data, "manifests", live + ".json")));
        // The cluster's metadata is the single master's: releases (newest first), history, tokens.
        Assert.Equal(single, await ClusterView(config));

        // The token issued on the single master deploys through the new master, and both serve it.
        var third = new Dictionary<string, string> { ["init.sls"] = "web: {port: 9090}\n" };
        var (status, stream) = await DeployAsync(b, token, third);
        Assert.True(status == HttpStatusCode.OK, stream);
        Assert.Contains("\"status\":\"succeeded\"", stream.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await EventuallyAsync(() => a.Live("foo/dev") == b.Live("foo/dev"), "master-a follows the deploy", a);
        AssertServes(a, "foo/dev", third);
        var history = JsonDocument.Parse((await Spiro("history", "foo/dev", "--json", "--config", config)).Output).RootElement;
        Assert.Equal(3, history.GetArrayLength());
        Assert.Equal($"replaces {live}", history[0].GetProperty("detail").GetString());

        // The chain verifies: the single master's rows as they were, the import's row, the deploy's rows.
        var verify = await Spiro("audit", "--verify", "--config", config);
        Assert.True(verify.ExitCode == 0, verify.Error + verify.Output);
        var audit = JsonDocument.Parse((await Spiro("audit", "--json", "--config", config)).Output).RootElement.EnumerateArray().ToList();
        var singleAudit = JsonDocument.Parse((await Spiro("audit", "--json", "--data", Data)).Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(singleAudit.Select(r => r.GetRawText()), audit.Take(singleAudit.Count).Select(r => r.GetRawText()));
        Assert.Equal("cluster.import", audit[singleAudit.Count].GetProperty("action").GetString());
        Assert.Contains(audit.Skip(singleAudit.Count + 1), r => r.GetProperty("action").GetString() == "deploy");
    }

    [ClusterFact]
    public async Task Import_DryRunChangesNothing_ARerunChangesNothing_AndAChangedStoreIsRefusedByANonEmptyCluster()
    {
        await PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "v: 1\n" });
        var database = await services.Postgres.CreateDatabaseAsync();
        var config = Config(database);

        // Without --data: the config file's data directory.
        var dry = await Spiro("cluster", "import", "--config", config, "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.StartsWith("dry run, nothing changed: would upload 1 of the 1 objects", dry.Output, StringComparison.Ordinal);
        Assert.Contains("would import", dry.Output, StringComparison.Ordinal);
        Assert.Equal(0L, Count(database, "releases") + Count(database, "audit_log") + Count(database, "cluster_pointers"));
        Assert.Empty(await InBucketAsync());

        var imported = await Spiro("cluster", "import", "--config", config, "--data", Data);
        var rows = Count(database, "audit_log");
        var again = await Spiro("cluster", "import", "--config", config, "--data", Data);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("already imported, nothing changed", again.Output, StringComparison.Ordinal);
        Assert.Equal(rows, Count(database, "audit_log"));
        Assert.Equal(1L, Count(database, "releases"));

        // The single master went on after the import: its store is no longer the one imported.
        await PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "v: 2\n" });
        var changed = await Spiro("cluster", "import", "--config", config, "--data", Data);

        Assert.Equal(ExitCodes.Rejected, changed.ExitCode);
        Assert.Contains("the cluster is not empty", changed.Error, StringComparison.Ordinal);
        Assert.Equal(1L, Count(database, "releases"));
        Assert.Equal(rows, Count(database, "audit_log"));
    }

    [ClusterFact]
    public async Task Import_CopiesDeploysEventsHighstateResultsAndPlans_AndTheClusterNumbersNewRowsAfterThem()
    {
        await PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "v: 1\n" });
        var live = Live(Data, "foo/dev")!;
        var single = Core.Metadata.MetadataDatabase.Open(Path.Combine(Data, "spiro.db"));
        var deploys = new Core.Deploys.DeployLog(single, TimeProvider.System);
        deploys.Create("d1", "foo/dev", "token:ci", highstate: true, test: false, tolerateMissing: true);
        deploys.Append("d1", "progress", "{\"message\":\"one\"}");
        deploys.Append("d1", "progress", "{\"message\":\"two\"}");
        new Core.Highstate.HighstateResultStore(single).Record(new Core.Highstate.HighstateRun(
            "run1", live, new Core.Names.SaltEnvName("foo", "dev"), Test: false, DateTimeOffset.UnixEpoch,
            [new Protocol.Highstate.MinionSummary("m1", Protocol.Highstate.MinionOutcome.Succeeded, 3, 1, 0, 0, [], [], 20.5, 0)]));
        using (var connection = single.Connect())
        using (var plan = connection.CreateCommand())
        {
            plan.CommandText = "INSERT INTO plans VALUES ('20261201T000000Z-0000000a', 'foo/dev', NULL, '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', 'cli:root', '2026-12-01T01:00:00Z', NULL)";
            plan.ExecuteNonQuery();
        }

        var database = await services.Postgres.CreateDatabaseAsync();
        var config = Config(database);
        var deploysBefore = await Spiro("deploys", "foo/dev", "--json", "--data", Data);

        var import = await Spiro("cluster", "import", "--config", config, "--data", Data);

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("deploys 1 (2 events), highstate results 1", import.Output, StringComparison.Ordinal);
        Assert.Equal(deploysBefore.Output, (await Spiro("deploys", "foo/dev", "--json", "--config", config)).Output);
        using var shared = PostgresMetadataDatabase.OpenDatabase(database);
        using (var connection = (NpgsqlConnection)shared.Connect())
        using (var rows = new NpgsqlCommand(
            "SELECT (SELECT string_agg(data, ',' ORDER BY seq) FROM deploy_events), (SELECT duration_ms FROM highstate_results), (SELECT ok FROM highstate_results), (SELECT applied_at FROM plans)", connection))
        using (var reader = rows.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal("{\"message\":\"one\"},{\"message\":\"two\"}", reader.GetString(0));
            Assert.Equal(20.5, reader.GetDouble(1));
            Assert.Equal(3, reader.GetInt32(2));
            Assert.Equal("2026-12-01T01:00:00Z", reader.GetString(3));
        }

        // PostgreSQL generates the next numbers after the imported ones: a new deploy sorts after d1.
        new Core.Deploys.DeployLog(shared, TimeProvider.System).Create("d2", "foo/dev", "token:ci", highstate: false, test: false);
        using (var connection = (NpgsqlConnection)shared.Connect())
        using (var order = new NpgsqlCommand("SELECT string_agg(id, ',' ORDER BY rowid) FROM deploys", connection))
        {
            Assert.Equal("d1,d2", order.ExecuteScalar());
        }
    }

    [ClusterFact]
    public async Task Import_WhenAnObjectOfAReleaseIsInNeitherPlace_ImportsNoMetadata()
    {
        await PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "v: 1\n", ["files/motd"] = "hello\n" });
        var lost = Directory.EnumerateFiles(Path.Combine(Data, "objects"), "*", SearchOption.AllDirectories).First();
        File.Delete(lost);
        var database = await services.Postgres.CreateDatabaseAsync();

        var result = await Spiro("cluster", "import", "--config", Config(database), "--data", Data);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains($"1 objects the releases name are neither in s3://{_bucket}", result.Error, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(lost), result.Error, StringComparison.Ordinal);
        foreach (var table in new[] { "releases", "release_history", "tokens", "audit_log", "cluster_pointers", "cluster_manifests" })
        {
            Assert.Equal(0L, Count(database, table));
        }
    }

    private async Task PublishAsync(string saltEnv, IReadOnlyDictionary<string, string> files)
    {
        var bundle = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".tar");
        await File.WriteAllBytesAsync(bundle, Bundle(files));
        var published = await Spiro("publish", saltEnv, bundle, "--data", Data);
        Assert.True(published.ExitCode == 0, published.Error);
    }

    private string Config(string database) =>
        ClusterConfigFile.Write(services, Directory.CreateDirectory(Path.Combine(_root, "master-a")).FullName, "import.yaml", database, _bucket, "master-a", $"data: {Data}");

    private async Task<ClusterMaster> StartAsync(string name, string database)
    {
        var master = await ClusterMaster.StartAsync(services, _root, name, database, _bucket);
        _masters.Add(master);
        return master;
    }

    // What the admin verbs show of the single master: releases and history of each saltenv, tokens.
    private string SingleMasterView() => View("--data", Data).GetAwaiter().GetResult();

    private static Task<string> ClusterView(string config) => View("--config", config);

    private static async Task<string> View(string option, string value)
    {
        var view = new StringBuilder();
        foreach (var args in new[] { new[] { "releases", "foo/dev" }, ["history", "foo/dev"], ["releases", "foo/prod"], ["token", "list"] })
        {
            var result = await Spiro([.. args, "--json", option, value]);
            Assert.True(result.ExitCode == 0, result.Error);
            view.AppendLine(result.Output);
        }

        return view.ToString();
    }

    private static void AssertServes(ClusterMaster master, string saltEnv, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (name, content) in files)
        {
            var served = master.Served(saltEnv, name.TrimEnd('*')) ?? throw new Xunit.Sdk.XunitException($"{master.Name} does not serve {name}");
            Assert.Equal(Encoding.UTF8.GetBytes(content), File.ReadAllBytes(served));
        }
    }

    private static string? Live(string data, string saltEnv) =>
        new FileInfo(Path.Combine(data, "envs", saltEnv)).LinkTarget is { } target ? Path.GetFileName(target) : null;

    private static long Count(string database, string table)
    {
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var connection = (NpgsqlConnection)metadata.Connect();
        using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", connection);
        return (long)command.ExecuteScalar()!;
    }

    // The local objects (one name per content) that are in the bucket.
    private async Task<List<string>> InBucketAsync()
    {
        using var bucket = new S3ContentStore(new S3ContentOptions { Endpoint = new Uri(services.Ceph.Endpoint), Bucket = _bucket, AccessKey = CephGateway.AccessKey, SecretKey = CephGateway.SecretKey });
        var found = new List<string>();
        foreach (var sha in Directory.EnumerateFiles(Path.Combine(Data, "objects"), "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f).Replace(".x", "", StringComparison.Ordinal)).Distinct())
        {
            if (await bucket.ContainsAsync(sha, CancellationToken.None))
            {
                found.Add(sha);
            }
        }

        return found;
    }

    private static async Task<(HttpStatusCode Status, string Stream)> DeployAsync(ClusterMaster master, string token, IReadOnlyDictionary<string, string> files)
    {
        using var client = new HttpClient { BaseAddress = master.Url, Timeout = TimeSpan.FromMinutes(3) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deploys?project=foo&deployment=dev&highstate=false") { Content = new ByteArrayContent(Bundle(files)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what, ClusterMaster master)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new Xunit.Sdk.XunitException($"not within 60 s: {what}\n{await File.ReadAllTextAsync(master.Log)}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> Spiro(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static byte[] Bundle(IReadOnlyDictionary<string, string> files)
    {
        using var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name.TrimEnd('*'))
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = name.EndsWith('*') ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
                });
            }
        }

        return stream.ToArray();
    }
}
