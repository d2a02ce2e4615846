using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Spiro.Cli;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Cli;

/// <summary><c>spiro cluster import</c> and <c>spiro cluster status</c> through the real entry point, against the real services.</summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterVerbsTests(ClusterServicesFixture services) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-clustercli-").FullName;
    private readonly string _bucket = "cli-" + Guid.NewGuid().ToString("N")[..16];

    public void Dispose()
    {
        foreach (var entry in new DirectoryInfo(_directory).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string Data => Path.Combine(_directory, "data");

    private async Task<string> ConfigAsync(string database)
    {
        var path = Path.Combine(_directory, "serve.yaml");
        await File.WriteAllTextAsync(path, $"""
            cluster:
              database: "{database}"
              objects:
                endpoint: {services.Ceph.Endpoint}
                bucket: {_bucket}
                access_key: {CephGateway.AccessKey}
                secret_key: {CephGateway.SecretKey}
              name: master-a
            """);
        return path;
    }

    private static async Task<(int ExitCode, string Output, string Error)> Spiro(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [ClusterFact]
    public async Task Import_CopiesEveryObjectOfASingleMasterStoreOnce_ByteForByte()
    {
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = Data }, TimeProvider.System);
        var files = new Dictionary<string, string> { ["init.sls"] = "web: {}\n", ["web/files/motd"] = "hello\n", ["web/run.sh"] = "#!/bin/sh\n" };
        await store.PublishAsync(new SaltEnvName("foo", "dev"), Bundle(files), new PublishContext("test"), CancellationToken.None);
        var config = await ConfigAsync(await services.Postgres.CreateDatabaseAsync());

        var first = await Spiro("cluster", "import", "--config", config, "--data", Data);
        var second = await Spiro("cluster", "import", "--config", config, "--data", Data);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.StartsWith("imported 3 objects into s3://" + _bucket, first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.StartsWith("already imported, nothing changed", second.Output, StringComparison.Ordinal);
        using var bucket = new S3ContentStore(new S3ContentOptions { Endpoint = new Uri(services.Ceph.Endpoint), Bucket = _bucket, AccessKey = CephGateway.AccessKey, SecretKey = CephGateway.SecretKey });
        foreach (var object_ in Directory.EnumerateFiles(Path.Combine(Data, "objects"), "*", SearchOption.AllDirectories))
        {
            var fetched = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
            Assert.True(await bucket.TryFetchAsync(Path.GetFileName(object_).Replace(".x", "", StringComparison.Ordinal), fetched, CancellationToken.None));
            Assert.Equal(await File.ReadAllBytesAsync(object_), await File.ReadAllBytesAsync(fetched));
        }
    }

    [ClusterFact]
    public async Task Status_ListsTheRegisteredMaster_AsJson()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using (var shared = PostgresMetadataDatabase.OpenDatabase(database))
        {
            new MasterRegistry(shared).Register("master-a", "host-a", "/var/cache/salt/master/spirofs");
        }

        var status = await Spiro("cluster", "status", "--config", await ConfigAsync(database), "--json");

        Assert.True(status.ExitCode == 0, status.Error);
        var master = Assert.Single(JsonDocument.Parse(status.Output).RootElement.GetProperty("masters").EnumerateArray());
        Assert.Equal("master-a", master.GetProperty("name").GetString());
        Assert.Equal("host-a", master.GetProperty("host").GetString());
        // The same RFC 3339 UTC form as every other view (docs/api.md), not .NET's round-trip "O".
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", master.GetProperty("started_at").GetString());
    }

    [ClusterFact]
    public async Task Import_WithPostgresDown_FailsNamingClusterDatabase()
    {
        var port = global::Spiro.Testing.LoopbackPorts.Free(1)[0];
        Directory.CreateDirectory(Path.Combine(Data, "objects"));
        Core.Metadata.MetadataDatabase.Open(Path.Combine(Data, "spiro.db"));

        var result = await Spiro("cluster", "import", "--config", await ConfigAsync($"Host=127.0.0.1;Port={port};Username=spiro;Database=x;Timeout=2"), "--data", Data);

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("error: cluster.database: cannot use PostgreSQL", result.Error, StringComparison.Ordinal);
    }

    private static MemoryStream Bundle(IReadOnlyDictionary<string, string> files)
    {
        var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }

        stream.Position = 0;
        return stream;
    }
}
