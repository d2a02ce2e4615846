using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Cluster.Sharing;
using Spiro.Core.Releases.Sharing;
using Spiro.Testing;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Sharing;

/// <summary>
/// A change's upload to the bucket (docs/cluster.md, "Cost"): contents the cluster recorded in
/// <c>cluster_objects</c> cost no request, the rest are written once (a small one with a
/// conditional PUT and no HEAD, a large one after a HEAD) and then recorded; a key that exists is
/// never overwritten.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
public sealed class ClusterUploadTests(ClusterServicesFixture services) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-upload-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [ClusterFact]
    public async Task Upload_StoresSmallAndLargeContents_RecordsThem_AndSendsNoRequestForThemAgain()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        var bucket = "up-" + Guid.NewGuid().ToString("N")[..16];
        using var content = Store(services.Ceph.Endpoint, bucket);
        await content.EnsureBucketAsync(CancellationToken.None);
        var small = Content(RandomNumberGenerator.GetBytes(4096));
        var large = Content(RandomNumberGenerator.GetBytes((int)ClusterUpload.AskFirstFrom + 1));

        await new ClusterReleases(metadata, content, "master-a").UploadAsync([small, large, small], CancellationToken.None);

        foreach (var item in new[] { small, large })
        {
            var fetched = Path.Combine(_directory, "fetched-" + item.Sha256);
            Assert.True(await content.TryFetchAsync(item.Sha256, fetched, CancellationToken.None));
            Assert.Equal(await File.ReadAllBytesAsync(item.File), await File.ReadAllBytesAsync(fetched));
        }

        Assert.Equal(new[] { small.Sha256, large.Sha256 }.Order(StringComparer.Ordinal), Recorded(database));

        // The same contents again through a store whose gateway does not answer: nothing to ask it.
        using var unreachable = Store($"http://127.0.0.1:{LoopbackPorts.Free(1)[0]}", bucket);
        var offline = new ClusterReleases(metadata, unreachable, "master-b");
        await offline.UploadAsync([large, small], CancellationToken.None);

        // A content the cluster has not seen still goes to the gateway (and fails there, naming the bucket).
        var failure = await Assert.ThrowsAsync<ClusterUnavailableException>(() => offline.UploadAsync([small, Content(Encoding.UTF8.GetBytes("new\n"))], CancellationToken.None));
        Assert.StartsWith("cluster.objects: cannot store the release's content in s3://" + bucket, failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, Recorded(database).Count);
    }

    [ClusterFact]
    public async Task Upload_OfAKeyTheBucketHoldsButTheClusterDidNotRecord_DoesNotOverwriteIt_AndRecordsIt()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var content = Store(services.Ceph.Endpoint, "up-" + Guid.NewGuid().ToString("N")[..16]);
        await content.EnsureBucketAsync(CancellationToken.None);
        var right = Content(Encoding.UTF8.GetBytes("the right bytes\n"));
        // Bytes under the key that are not its content (written by something else holding the keys).
        await content.ReplaceAsync(right.Sha256, Content(Encoding.UTF8.GetBytes("other bytes\n")).File, CancellationToken.None);

        await new ClusterReleases(metadata, content, "master-a").UploadAsync([right], CancellationToken.None);

        // Put-once: the key keeps what it held (a fetch refuses it; spiro cluster repair is the way to replace it).
        var fetched = Path.Combine(_directory, "fetched");
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => content.TryFetchAsync(right.Sha256, fetched, CancellationToken.None));
        Assert.Contains("does not hash to its key", refused.Message, StringComparison.Ordinal);
        Assert.Equal([right.Sha256], Recorded(database));
    }

    private static S3ContentStore Store(string endpoint, string bucket) => new(new S3ContentOptions
    {
        Endpoint = new Uri(endpoint),
        Bucket = bucket,
        AccessKey = CephGateway.AccessKey,
        SecretKey = CephGateway.SecretKey,
    });

    private SharedContent Content(byte[] bytes)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return new SharedContent(Convert.ToHexStringLower(SHA256.HashData(bytes)), path);
    }

    private static List<string> Recorded(string database)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT sha256 FROM cluster_objects ORDER BY sha256 COLLATE \"C\"", connection);
        using var reader = command.ExecuteReader();
        var shas = new List<string>();
        while (reader.Read())
        {
            shas.Add(reader.GetString(0));
        }

        return shas;
    }
}
