using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Tests.Support;
using Spiro.Core.Tokens;
using Spiro.Testing;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Server;

/// <summary>
/// Cluster mode with two real <c>spiro serve</c> processes on one real PostgreSQL and one real
/// radosgw (docs/cluster.md): a change made through either master is served by both, byte for byte.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class TwoMasterTests(ClusterServicesFixture services) : IAsyncLifetime
{
    private const string SaltEnv = "foo/dev";
    private readonly string _root = Directory.CreateTempSubdirectory("spiro-twomasters-").FullName;
    private readonly List<ClusterMaster> _masters = [];
    private string _database = "";
    private string _bucket = "";
    private string _token = "";
    private string _admin = "";

    public async Task InitializeAsync()
    {
        if (ClusterFactAttribute.SkipReason is not null)
        {
            return;
        }

        _database = await services.Postgres.CreateDatabaseAsync();
        _bucket = "two-" + Guid.NewGuid().ToString("N")[..16];
        using var metadata = PostgresMetadataDatabase.OpenDatabase(_database);
        var tokens = new TokenStore(metadata, TimeProvider.System);
        _token = tokens.Issue(new TokenRequest(new TokenScope(["foo"], ["dev"], false), "ci", null, null)).Token;
        _admin = tokens.Issue(new TokenRequest(new TokenScope(["foo"], ["dev"], true), "admin", null, null)).Token;
    }

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

        Directory.Delete(_root, recursive: true);
    }

    private async Task<ClusterMaster> StartAsync(string name, string extra = "", IReadOnlyDictionary<string, string>? environment = null, string objects = "")
    {
        var master = await ClusterMaster.StartAsync(services, _root, name, _database, _bucket, extra, environment, objects);
        _masters.Add(master);
        return master;
    }

    [ClusterFact]
    public async Task Deploy_ThroughEitherMaster_IsServedByteForByteByBoth_AndRollbackAndDeleteFollow()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        var first = new Dictionary<string, string> { ["init.sls"] = "web: {}\n", ["files/motd"] = "hello\n", ["run.sh*"] = "#!/bin/sh\necho hi\n" };

        var (status, stream) = await DeployAsync(a, first);

        Assert.True(status == HttpStatusCode.OK, stream);
        Assert.Contains("Master master-a serves release", stream, StringComparison.Ordinal);
        Assert.Contains("Master master-b serves release", stream, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"succeeded\"", stream.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var release1 = a.Live(SaltEnv);
        Assert.NotNull(release1);
        Assert.Equal(release1, b.Live(SaltEnv));
        AssertServedAlike(a, b, first);
        Assert.Equal(UnixFileMode.UserExecute, File.GetUnixFileMode(b.Served(SaltEnv, "run.sh")!) & UnixFileMode.UserExecute);

        // A second deploy through the other master.
        var second = new Dictionary<string, string> { ["init.sls"] = "web: {port: 8080}\n", ["files/motd"] = "hello\n" };
        (status, stream) = await DeployAsync(b, second);
        Assert.True(status == HttpStatusCode.OK, stream);
        var release2 = b.Live(SaltEnv);
        Assert.NotEqual(release1, release2);
        Assert.Equal(release2, a.Live(SaltEnv));
        AssertServedAlike(a, b, second);
        Assert.Null(a.Served(SaltEnv, "run.sh"));

        // Rollback through A: B follows.
        using (var rollback = await AdminAsync(a, HttpMethod.Post, $"/api/v1/saltenvs/{SaltEnv}/rollback"))
        {
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        }

        await EventuallyAsync(() => b.Live(SaltEnv) == release1, $"{b.Name} follows the rollback to {release1}", b);
        Assert.Equal(release1, a.Live(SaltEnv));
        AssertServedAlike(a, b, first);

        // The status verb shows both masters serving the same release, none behind.
        var json = await StatusJsonAsync(a);
        foreach (var name in new[] { "master-a", "master-b" })
        {
            var master = json.RootElement.GetProperty("masters").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);
            Assert.True(master.GetProperty("live").GetBoolean());
            var serving = master.GetProperty("saltenvs").EnumerateArray().Single(s => s.GetProperty("saltenv").GetString() == SaltEnv);
            Assert.Equal(release1, serving.GetProperty("serves").GetString());
            Assert.False(serving.GetProperty("behind").GetBoolean());
        }

        // Delete through B: A no longer serves the saltenv.
        using (var delete = await AdminAsync(b, HttpMethod.Delete, $"/api/v1/saltenvs/{SaltEnv}"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        await EventuallyAsync(() => a.Live(SaltEnv) is null, $"{a.Name} follows the delete", a);
        Assert.Null(b.Live(SaltEnv));
    }

    [ClusterFact]
    public async Task Rollback_ThroughAMasterThatNeverHadTheTarget_FetchesIt_AndBothServeIt()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);

        // B is stopped through two deploys, then catches up with the last one only.
        await b.StopAsync();
        var second = new Dictionary<string, string> { ["init.sls"] = "v: 2\n", ["only/in-two.txt"] = "two\n" };
        var (status, stream) = await DeployAsync(a, second);
        Assert.True(status == HttpStatusCode.OK, stream);
        Assert.DoesNotContain("Master master-b serves", stream, StringComparison.Ordinal);
        var release2 = a.Live(SaltEnv)!;
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 3\n" })).Status);
        await b.StartAgainAsync();
        Assert.Equal(a.Live(SaltEnv), b.Live(SaltEnv));
        Assert.False(Directory.Exists(Path.Combine(b.Data, "releases", release2)));

        using (var rollback = await AdminAsync(b, HttpMethod.Post, $"/api/v1/saltenvs/{SaltEnv}/rollback?release={release2}"))
        {
            Assert.True(rollback.StatusCode == HttpStatusCode.OK, await rollback.Content.ReadAsStringAsync());
        }

        Assert.Equal(release2, b.Live(SaltEnv));
        await EventuallyAsync(() => a.Live(SaltEnv) == release2, $"{a.Name} follows the rollback to {release2}", a);
        AssertServedAlike(a, b, second);
    }

    [ClusterFact]
    public async Task ConcurrentDeploys_ToBothMasters_Serialise_AndBothEndOnTheLastOne()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");

        var deploys = await Task.WhenAll(
            DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "from: a\n" }),
            DeployAsync(b, new Dictionary<string, string> { ["init.sls"] = "from: b\n" }));

        Assert.All(deploys, d => Assert.True(d.Status == HttpStatusCode.OK, d.Stream));
        using var metadata = PostgresMetadataDatabase.OpenDatabase(_database);
        using var connection = (NpgsqlConnection)metadata.Connect();
        var history = Rows(connection, "SELECT release_id FROM release_history WHERE saltenv = 'foo/dev' ORDER BY seq");
        Assert.Equal(2, history.Count);
        Assert.NotEqual(history[0], history[1]);
        // The later change is what both serve, and its history row says it replaced the earlier one.
        var last = Rows(connection, "SELECT release_id FROM cluster_pointers WHERE saltenv = 'foo/dev'").Single();
        Assert.Equal(history[1], last);
        Assert.Equal($"replaces {history[0]}", Rows(connection, $"SELECT detail FROM release_history WHERE release_id = '{last}'").Single());
        await EventuallyAsync(() => a.Live(SaltEnv) == last && b.Live(SaltEnv) == last, "both masters serve the last deploy", a);
        Assert.Equal(File.ReadAllBytes(a.Served(SaltEnv, "init.sls")!), File.ReadAllBytes(b.Served(SaltEnv, "init.sls")!));
        Assert.Null(new Core.Metadata.AuditLog(metadata, TimeProvider.System).Verify());
    }

    [ClusterFact]
    public async Task Gateway_StoppedBeforeADeploy_FailsItCleanly_WithNoLiveChangeOnAnyMaster()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        var (status, stream) = await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" });
        Assert.True(status == HttpStatusCode.OK, stream);
        var live = a.Live(SaltEnv);

        await services.Ceph.StopGatewayAsync();
        try
        {
            (status, stream) = await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 2\n", ["new.sls"] = "new: content\n" });
        }
        finally
        {
            await services.Ceph.StartGatewayAsync();
        }

        Assert.Contains("cluster.objects: cannot store the release's content", stream, StringComparison.Ordinal);
        Assert.Contains("nothing was published", stream, StringComparison.Ordinal);
        Assert.Equal(live, a.Live(SaltEnv));
        Assert.Equal(live, b.Live(SaltEnv));
        Assert.Equal("v: 1\n", File.ReadAllText(a.Served(SaltEnv, "init.sls")!));
        Assert.Single(Directory.GetDirectories(Path.Combine(a.Data, "releases")));
        using var metadata = PostgresMetadataDatabase.OpenDatabase(_database);
        using var connection = (NpgsqlConnection)metadata.Connect();
        Assert.Single(Rows(connection, "SELECT id FROM releases WHERE saltenv = 'foo/dev'"));
    }

    [ClusterFact]
    public async Task Postgres_Stopped_RefusesDeploysClearly_WhileBothMastersKeepServing()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        var (status, stream) = await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" });
        Assert.True(status == HttpStatusCode.OK, stream);
        var live = a.Live(SaltEnv);

        await services.Postgres.StopAsync();
        HttpStatusCode refused;
        string health;
        try
        {
            (refused, stream) = await DeployAsync(b, new Dictionary<string, string> { ["init.sls"] = "v: 2\n" });
            using var client = new HttpClient { BaseAddress = a.Url };
            health = await client.GetStringAsync("/healthz");
        }
        finally
        {
            await services.Postgres.StartAgainAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
        Assert.Contains("cluster.database", stream, StringComparison.Ordinal);
        Assert.StartsWith("ok\n", health, StringComparison.Ordinal);
        Assert.Contains("cannot reach PostgreSQL", health, StringComparison.Ordinal);
        Assert.Equal(live, a.Live(SaltEnv));
        Assert.Equal(live, b.Live(SaltEnv));
        Assert.Equal("v: 1\n", File.ReadAllText(b.Served(SaltEnv, "init.sls")!));

        // Back up: deploys work again and both follow.
        (status, stream) = await DeployAsync(b, new Dictionary<string, string> { ["init.sls"] = "v: 3\n" });
        Assert.True(status == HttpStatusCode.OK, stream);
        Assert.Equal("v: 3\n", File.ReadAllText(a.Served(SaltEnv, "init.sls")!));
    }

    [ClusterFact]
    public async Task Follower_KilledWhileMaterialising_ServesTheOldRelease_AndConvergesAfterARestart()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        var (status, stream) = await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" });
        Assert.True(status == HttpStatusCode.OK, stream);
        var old = b.Live(SaltEnv);

        // B dies (SIGKILL) as it fetches the next release's first object from the bucket.
        await b.StopAsync();
        await b.StartAgainAsync(new Dictionary<string, string> { ["SPIRO_FAULT_KILL_AT"] = "follow-fetch" });
        var next = new Dictionary<string, string> { ["init.sls"] = "v: 2\n", ["big/data.txt"] = new string('x', 100_000) };
        var deploy = DeployAsync(a, next);
        await EventuallyAsync(() => !b.IsAlive, "master-b is killed at the fault point", b);
        Assert.Equal(old, b.Live(SaltEnv));
        Assert.Equal("v: 1\n", File.ReadAllText(b.Served(SaltEnv, "init.sls")!));

        // Dead, B stops counting as live after a few missed heartbeats: the deploy then succeeds on A.
        (status, stream) = await deploy;
        Assert.True(status == HttpStatusCode.OK, stream);
        Assert.DoesNotContain("Master master-b serves", stream, StringComparison.Ordinal);

        // Restarted, B catches up before it serves: the new release, byte for byte, no leftovers.
        await b.StartAgainAsync(new Dictionary<string, string>());
        Assert.Equal(a.Live(SaltEnv), b.Live(SaltEnv));
        AssertServedAlike(a, b, next);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(b.Data, "staging", "foo", "dev")));
    }

    [ClusterFact]
    public async Task Deploy_WithAMasterThatCannotFollow_FailsNamingIt_AndSpiroDeployExitsWithServerError()
    {
        var a = await StartAsync("master-a", "  apply_timeout: 5s");
        var b = await StartAsync("master-b");
        var (status, stream) = await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" });
        Assert.True(status == HttpStatusCode.OK, stream);

        // B's staging directory for the saltenv becomes a file: B cannot materialise there, but stays alive.
        var staging = Path.Combine(b.Data, "staging", "foo", "dev");
        Directory.Delete(staging, recursive: true);
        await File.WriteAllTextAsync(staging, "in the way\n");

        var project = Path.Combine(_root, "project");
        Directory.CreateDirectory(Path.Combine(project, "_salt"));
        await File.WriteAllTextAsync(Path.Combine(project, "_salt", "init.sls"), "v: 2\n");
        var result = await ProcessRunner.RunAsync(
            RepoPaths.SpiroDeploy,
            ["--server", a.Url.ToString(), "--token", _token, "--project-dir", project, "--no-highstate", "--no-color", "foo", "dev"],
            TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("master-b did not serve release", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Contains("cluster.apply_timeout", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal("v: 1\n", File.ReadAllText(b.Served(SaltEnv, "init.sls")!));
        Assert.Equal("v: 2\n", File.ReadAllText(a.Served(SaltEnv, "init.sls")!));
        using var client = new HttpClient { BaseAddress = b.Url };
        Assert.Contains("behind foo/dev: serves", await client.GetStringAsync("/healthz"), StringComparison.Ordinal);
    }

    private static void AssertServedAlike(ClusterMaster a, ClusterMaster b, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (name, content) in files)
        {
            var relative = name.TrimEnd('*');
            var fromA = a.Served(SaltEnv, relative) ?? throw new Xunit.Sdk.XunitException($"{a.Name} does not serve {relative}");
            var fromB = b.Served(SaltEnv, relative) ?? throw new Xunit.Sdk.XunitException($"{b.Name} does not serve {relative}");
            Assert.Equal(Encoding.UTF8.GetBytes(content), File.ReadAllBytes(fromA));
            Assert.Equal(File.ReadAllBytes(fromA), File.ReadAllBytes(fromB));
            Assert.Equal(File.GetUnixFileMode(fromA), File.GetUnixFileMode(fromB));
        }

        Assert.Equal(
            File.ReadAllText(Path.Combine(a.Data, "manifests", a.Live(SaltEnv) + ".json")),
            File.ReadAllText(Path.Combine(b.Data, "manifests", b.Live(SaltEnv) + ".json")));
    }

    private async Task<(HttpStatusCode Status, string Stream)> DeployAsync(ClusterMaster master, IReadOnlyDictionary<string, string> files)
    {
        using var client = new HttpClient { BaseAddress = master.Url, Timeout = TimeSpan.FromMinutes(3) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deploys?project=foo&deployment=dev&highstate=false") { Content = new ByteArrayContent(Bundle(files)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> AdminAsync(ClusterMaster master, HttpMethod method, string path)
    {
        using var client = new HttpClient { BaseAddress = master.Url };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
        return await client.SendAsync(request);
    }

    private static async Task<JsonDocument> StatusJsonAsync(ClusterMaster master)
    {
        var result = await ProcessRunner.RunAsync(RepoPaths.SpiroCli, ["cluster", "status", "--config", Path.Combine(master.Root, "serve.yaml"), "--json"], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Output);
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what, ClusterMaster master)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new Xunit.Sdk.XunitException($"not within 60 s: {what}\n{master.Name}'s log:\n{(File.Exists(master.Log) ? File.ReadAllText(master.Log) : "")}");
            }

            await Task.Delay(100);
        }
    }

    private static List<string> Rows(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return rows;
    }

    private static byte[] Bundle(IReadOnlyDictionary<string, string> files)
    {
        using var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var executable = name.EndsWith('*');
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name.TrimEnd('*'))
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
                });
            }
        }

        return stream.ToArray();
    }
}
