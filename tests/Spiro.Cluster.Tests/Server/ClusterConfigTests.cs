using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Core.Highstate;
using Spiro.Core.Tokens;
using Spiro.Server;
using Spiro.Server.Options;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Server;

/// <summary><c>spiro serve --config FILE</c> with a <c>cluster:</c> section, against the real services.</summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterConfigTests(ClusterServicesFixture services) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-clustercfg-").FullName;

    public void Dispose()
    {
        foreach (var entry in new DirectoryInfo(_directory).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }

        Directory.Delete(_directory, recursive: true);
    }

    private string Config(string database, string name, string bucket, string extra = "") =>
        Support.ClusterConfigFile.Write(services, _directory, $"serve-{name}.yaml", database, bucket, name, extra);

    private ServerOptions Options(string config, string data)
    {
        var errors = new List<string>();
        var options = ServerConfigFile.Apply(new ServerOptions { Host = "127.0.0.1", Port = 0, Data = Path.Combine(_directory, data) }, config, errors);
        Assert.Empty(errors);
        Assert.Empty(options.Validate());
        return options;
    }

    private static WebApplication Build(ServerOptions options) =>
        SpiroServer.Build(options, new NoSaltHighstateService(), logging: logging => logging.SetMinimumLevel(LogLevel.Warning));

    private static string Bucket() => "cfg-" + Guid.NewGuid().ToString("N")[..16];

    [ClusterFact]
    public async Task Serve_WithAClusterSection_KeepsTokensDeploysAndReleasesInPostgresAndNoSpiroDb()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var options = Options(Config(database, "master-a", Bucket()), "a");
        await using var app = Build(options);
        await app.StartAsync();
        var token = app.Services.GetRequiredService<TokenStore>().Issue(new TokenRequest(new TokenScope(["foo"], ["dev"], false), "ci", null, null)).Token;
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deploys?project=foo&deployment=dev") { Content = new ByteArrayContent(Bundle("web: {}\n")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.SendAsync(request);
        var stream = await response.Content.ReadAsStringAsync();
        await app.StopAsync();

        Assert.True(response.IsSuccessStatusCode, stream);
        Assert.False(File.Exists(Path.Combine(options.Data, "spiro.db")));
        using var shared = PostgresMetadataDatabase.OpenDatabase(database);
        using var connection = (NpgsqlConnection)shared.Connect();
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM tokens"));
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM releases WHERE saltenv = 'foo/dev'"));
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM deploys WHERE saltenv = 'foo/dev' AND release IS NOT NULL"));
        Assert.Equal("web: {}\n", File.ReadAllText(Path.Combine(options.Data, "envs", "foo", "dev", "init.sls")));
        Assert.Null(new Core.Metadata.AuditLog(shared, TimeProvider.System).Verify());
    }

    [ClusterFact]
    public async Task Serve_SecondMasterWithTheSameNameWhileTheFirstRuns_IsRefusedNamingIt()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var bucket = Bucket();
        await using var first = Build(Options(Config(database, "master-a", bucket), "a"));
        Assert.NotNull(first.Services.GetRequiredService<ClusterStorage>());

        var error = Assert.Throws<ServerStartupException>(() => Build(Options(Config(database, "master-a", bucket), "b")));

        Assert.StartsWith("cluster.name: master 'master-a' is already running", error.Message, StringComparison.Ordinal);
        Assert.Contains("give every master its own name", error.Message, StringComparison.Ordinal);
    }

    [ClusterFact]
    public void Serve_WithPostgresUnreachable_StopsBeforeServingNamingClusterDatabase()
    {
        var port = Spiro.Testing.LoopbackPorts.Free(1)[0];
        var options = Options(Config($"Host=127.0.0.1;Port={port};Username=spiro;Database=none;Timeout=2", "master-a", Bucket()), "a");

        var error = Assert.Throws<ServerStartupException>(() => Build(options));

        Assert.StartsWith("cluster.database: cannot use PostgreSQL:", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(options.Data, "envs")));
    }

    [ClusterFact]
    public async Task Serve_WithTheGatewayDown_StopsBeforeServingNamingClusterObjects()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        var options = Options(Config(database, "master-a", Bucket()), "a") is var o
            ? o with { Cluster = o.Cluster! with { Objects = o.Cluster.Objects with { Endpoint = new Uri($"http://127.0.0.1:{Spiro.Testing.LoopbackPorts.Free(1)[0]}") } } }
            : null!;

        var error = Assert.Throws<ServerStartupException>(() => Build(options));

        Assert.StartsWith("cluster.objects: cannot use the bucket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFile_WithBadClusterKeys_NamesEachOne()
    {
        var path = Path.Combine(_directory, "bad.yaml");
        File.WriteAllText(path, """
            cluster:
              database: ""
              colour: blue
              objects:
                bucket: "Not_A_Bucket"
                endpoint: ftp://example
            """);
        var errors = new List<string>();

        var options = ServerConfigFile.Apply(new ServerOptions(), path, errors);
        errors.AddRange(options.Validate());

        Assert.Contains(errors, e => e.StartsWith("cluster.colour: unknown setting", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("cluster.database: required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("cluster.objects.bucket:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("cluster.objects.endpoint:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("cluster.objects.access_key: required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("many", "cluster.objects.parallelism: 'many' is not a whole number")]
    [InlineData("0", "cluster.objects.parallelism: 0 must be between 1 and 64")]
    [InlineData("65", "cluster.objects.parallelism: 65 must be between 1 and 64")]
    public void ConfigFile_WithAnOutOfRangeParallelism_NamesTheKey(string value, string expected)
    {
        var path = Path.Combine(_directory, "parallel.yaml");
        File.WriteAllText(path, $$"""
            cluster:
              database: "Host=127.0.0.1;Database=spiro"
              objects:
                bucket: spirofs
                access_key: a
                secret_key: s
                parallelism: {{value}}
            """);
        var errors = new List<string>();

        var options = ServerConfigFile.Apply(new ServerOptions(), path, errors);
        errors.AddRange(options.Validate());

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    private static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Bundle(string content)
    {
        using var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "init.sls") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }

        return stream.ToArray();
    }
}
