using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Npgsql;
using Spiro.Cli;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Cluster.Sharing;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Testing.Services;
using Spiro.Testing.Tars;

namespace Spiro.Cluster.Tests.Cli;

/// <summary>
/// <c>spiro cluster verify</c> through the real entry point against the real services: every object
/// the manifests name is read and hashed; a damaged and a missing one are named with the release
/// that needs them (exit 1) until <c>spiro cluster repair</c> puts them right.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterVerifyTests(ClusterServicesFixture services) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-verify-").FullName;
    private readonly string _bucket = "verify-" + Guid.NewGuid().ToString("N")[..16];

    public void Dispose()
    {
        foreach (var entry in new DirectoryInfo(_directory).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }

        Directory.Delete(_directory, recursive: true);
    }

    private string Data => Path.Combine(_directory, "data");

    [ClusterFact]
    public async Task Verify_NamesACorruptAndAMissingObject_WithTheirRelease_AndPassesOnceRepaired()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var content = new S3ContentStore(new S3ContentOptions { Endpoint = new Uri(services.Ceph.Endpoint), Bucket = _bucket, AccessKey = CephGateway.AccessKey, SecretKey = CephGateway.SecretKey });
        await content.EnsureBucketAsync(CancellationToken.None);
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = Data, Metadata = metadata, Sharing = new ClusterReleases(metadata, content, "master-a") }, TimeProvider.System);
        var files = new Dictionary<string, string> { ["init.sls"] = "web: {}\n", ["damaged.txt"] = "damaged\n", ["gone.txt"] = "gone\n" };
        var published = Assert.IsType<PublishResult.Published>(await store.PublishAsync(new SaltEnvName("foo", "dev"), TestTar.Stream(files), new PublishContext("ci"), CancellationToken.None));
        var config = await ConfigAsync(database);

        var clean = await Spiro("cluster", "verify", "--config", config);
        Assert.True(clean.ExitCode == 0, clean.Error);
        Assert.StartsWith($"checked 3 objects named by 1 manifests or recorded as stored in s3://{_bucket}/", clean.Output, StringComparison.Ordinal);
        Assert.EndsWith("every one hashes to its key" + Environment.NewLine, clean.Output, StringComparison.Ordinal);

        // One object overwritten with other bytes, one removed (both behind the cluster's back).
        var damaged = Sha(files["damaged.txt"]);
        var gone = Sha(files["gone.txt"]);
        var other = Path.Combine(_directory, "other");
        await File.WriteAllTextAsync(other, "other bytes\n");
        await content.ReplaceAsync(damaged, other, CancellationToken.None);
        await DeleteObjectAsync(gone);

        var found = await Spiro("cluster", "verify", "--config", config);

        Assert.True(found.ExitCode == ExitCodes.Rejected, found.ToString());
        var release = published.Release.Id;
        Assert.Contains($"corrupt {damaged}: its bytes do not hash to its key (named by foo/dev release {release})", found.Output, StringComparison.Ordinal);
        Assert.Contains($"missing {gone}: not in the bucket (named by foo/dev release {release})", found.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha(files["init.sls"]), found.Output, StringComparison.Ordinal);
        Assert.Contains("1 missing, 1 corrupt; put them right with spiro cluster repair", found.Error, StringComparison.Ordinal);
        // The missing one is no longer taken as stored: a deploy of that content would upload it again.
        Assert.DoesNotContain(gone, Recorded(database));
        Assert.Contains(damaged, Recorded(database));

        var repaired = await Spiro("cluster", "repair", "--config", config, "--data", Data, damaged, gone);
        Assert.True(repaired.ExitCode == 0, repaired.ToString());
        var again = await Spiro("cluster", "verify", "--config", config);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [ClusterFact]
    public async Task Verify_Json_ChecksRecordedObjectsNoManifestNames_ListsTheMissingOne_AndStrikesIt()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var content = new S3ContentStore(new S3ContentOptions { Endpoint = new Uri(services.Ceph.Endpoint), Bucket = _bucket, AccessKey = CephGateway.AccessKey, SecretKey = CephGateway.SecretKey });
        await content.EnsureBucketAsync(CancellationToken.None);
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = Data, Metadata = metadata, Sharing = new ClusterReleases(metadata, content, "master-a") }, TimeProvider.System);
        var files = new Dictionary<string, string> { ["init.sls"] = "web: {}\n" };
        Assert.IsType<PublishResult.Published>(await store.PublishAsync(new SaltEnvName("foo", "dev"), TestTar.Stream(files), new PublishContext("ci"), CancellationToken.None));
        // Recorded as stored (an upload whose release was never published, then lost by the bucket).
        var stray = Sha("uploaded, never published\n");
        using (var connection = new NpgsqlConnection(database))
        {
            connection.Open();
            using var insert = new NpgsqlCommand("INSERT INTO cluster_objects (store, sha256) VALUES (@store, @sha)", connection);
            insert.Parameters.AddWithValue("store", content.Identity);
            insert.Parameters.AddWithValue("sha", stray);
            insert.ExecuteNonQuery();
        }

        var found = await Spiro("cluster", "verify", "--config", await ConfigAsync(database), "--json");

        Assert.True(found.ExitCode == ExitCodes.Rejected, found.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(found.Output);
        Assert.Equal(2, json.RootElement.GetProperty("checked").GetInt32());
        Assert.Equal(Encoding.UTF8.GetByteCount(files["init.sls"]), json.RootElement.GetProperty("bytes").GetInt64());
        var problem = Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray().ToList());
        Assert.Equal(stray, problem.GetProperty("sha256").GetString());
        Assert.True(problem.GetProperty("missing").GetBoolean());
        Assert.Empty(problem.GetProperty("releases").EnumerateArray());
        Assert.Contains("1 missing, 0 corrupt", found.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(stray, Recorded(database));
    }

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

    private async Task DeleteObjectAsync(string sha)
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials(CephGateway.AccessKey, CephGateway.SecretKey), new AmazonS3Config
        {
            ServiceURL = services.Ceph.Endpoint,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        await client.DeleteObjectAsync(_bucket, $"objects/{sha[..2]}/{sha}");
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static List<string> Recorded(string database)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT sha256 FROM cluster_objects", connection);
        using var reader = command.ExecuteReader();
        var shas = new List<string>();
        while (reader.Read())
        {
            shas.Add(reader.GetString(0));
        }

        return shas;
    }

    private static async Task<Result> Spiro(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return new Result(exit, output.ToString(), error.ToString());
    }

    private sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
