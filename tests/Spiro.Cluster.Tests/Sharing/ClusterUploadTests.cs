using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
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

        // The same contents again through a store whose gateway does not answer: nothing to ask it
        // once the cluster has recorded them for that store (rows are per store: copied here, as
        // an upload through it would have recorded them).
        using var unreachable = Store($"http://127.0.0.1:{LoopbackPorts.Free(1)[0]}", bucket);
        Execute(database, $"INSERT INTO cluster_objects (store, sha256) SELECT '{unreachable.Identity}', sha256 FROM cluster_objects");
        var offline = new ClusterReleases(metadata, unreachable, "master-b");
        await offline.UploadAsync([large, small], CancellationToken.None);

        // A content the cluster has not seen still goes to the gateway (and fails there, naming the bucket).
        var failure = await Assert.ThrowsAsync<ClusterUnavailableException>(() => offline.UploadAsync([small, Content(Encoding.UTF8.GetBytes("new\n"))], CancellationToken.None));
        Assert.StartsWith("cluster.objects: cannot store the release's content in s3://" + bucket, failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, Recorded(database).Count); // two contents for each of the two stores; the failed upload recorded nothing
    }

    [ClusterFact]
    public async Task Upload_OfAKeyTheBucketHoldsWithOtherBytes_FailsNamingTheObjectAndRepair_DoesNotOverwriteOrRecordIt()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var content = Store(services.Ceph.Endpoint, "up-" + Guid.NewGuid().ToString("N")[..16]);
        await content.EnsureBucketAsync(CancellationToken.None);
        var right = Content(Encoding.UTF8.GetBytes("the right bytes\n"));
        var present = Content(Encoding.UTF8.GetBytes("already stored, right bytes\n"));
        await content.PutAsync(present.Sha256, present.File, CancellationToken.None);
        // Bytes under the key that are not its content (written by something else holding the keys).
        await content.ReplaceAsync(right.Sha256, Content(Encoding.UTF8.GetBytes("other bytes\n")).File, CancellationToken.None);

        // The 412 is checked: a release naming that key could be served by no follower.
        var refused = await Assert.ThrowsAsync<ClusterUnavailableException>(() =>
            new ClusterReleases(metadata, content, "master-a").UploadAsync([present, right], CancellationToken.None));
        Assert.Contains($"object {right.Sha256} in s3://", refused.Message, StringComparison.Ordinal);
        Assert.Contains("does not hash to its key", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"spiro cluster repair --config FILE --data DIR {right.Sha256}", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Recorded(database));

        // Put-once: the key keeps what it held (a fetch refuses it; spiro cluster repair is the way to replace it).
        var fetched = Path.Combine(_directory, "fetched");
        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => content.TryFetchAsync(right.Sha256, fetched, CancellationToken.None));
        Assert.Contains("does not hash to its key", damaged.Message, StringComparison.Ordinal);

        // A refused PUT of a key holding the right bytes counts as stored.
        await new ClusterReleases(metadata, content, "master-a").UploadAsync([present], CancellationToken.None);
        Assert.Equal([present.Sha256], Recorded(database));
    }

    [ClusterFact]
    public async Task Upload_AfterTheConfigNamesAnotherBucket_DoesNotTrustTheRowsOfTheFirst_AndStoresTheContentThere()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        using var first = Store(services.Ceph.Endpoint, "up-" + Guid.NewGuid().ToString("N")[..16]);
        using var second = Store(services.Ceph.Endpoint, "up-" + Guid.NewGuid().ToString("N")[..16]);
        await first.EnsureBucketAsync(CancellationToken.None);
        await second.EnsureBucketAsync(CancellationToken.None);
        var item = Content(Encoding.UTF8.GetBytes("moved with the config\n"));
        await new ClusterReleases(metadata, first, "master-a").UploadAsync([item], CancellationToken.None);

        await new ClusterReleases(metadata, second, "master-a").UploadAsync([item], CancellationToken.None);

        Assert.True(await second.ContainsAsync(item.Sha256, CancellationToken.None));
        Assert.Equal(new[] { first.Identity, second.Identity }.Order(StringComparer.Ordinal), RecordedStores(database, item.Sha256));
    }

    [ClusterFact]
    public async Task Fetch_OfARecordedKeyTheBucketLost_StrikesItsRow_SoTheNextUploadStoresItAgain()
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        var bucket = "up-" + Guid.NewGuid().ToString("N")[..16];
        using var content = Store(services.Ceph.Endpoint, bucket);
        await content.EnsureBucketAsync(CancellationToken.None);
        var releases = new ClusterReleases(metadata, content, "master-a");
        var item = Content(Encoding.UTF8.GetBytes("removed by a lifecycle rule\n"));
        await releases.UploadAsync([item], CancellationToken.None);
        await DeleteObjectAsync(bucket, item.Sha256);

        // What a follower's fetch does (SharedReleaseMaker reads through IReleaseSource.Content).
        IReleaseSource follower = new ClusterReleases(metadata, content, "master-b");
        Assert.False(await follower.Content.TryFetchAsync(item.Sha256, Path.Combine(_directory, "lost"), CancellationToken.None));
        Assert.Empty(Recorded(database));

        await releases.UploadAsync([item], CancellationToken.None);
        var fetched = Path.Combine(_directory, "fetched");
        Assert.True(await follower.Content.TryFetchAsync(item.Sha256, fetched, CancellationToken.None));
        Assert.Equal(await File.ReadAllBytesAsync(item.File), await File.ReadAllBytesAsync(fetched));
    }

    private async Task DeleteObjectAsync(string bucket, string sha)
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials(CephGateway.AccessKey, CephGateway.SecretKey), new AmazonS3Config
        {
            ServiceURL = services.Ceph.Endpoint,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        await client.DeleteObjectAsync(bucket, $"objects/{sha[..2]}/{sha}");
    }

    private static void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static List<string> RecordedStores(string database, string sha)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT store FROM cluster_objects WHERE sha256 = @sha ORDER BY store COLLATE \"C\"", connection);
        command.Parameters.AddWithValue("sha", sha);
        using var reader = command.ExecuteReader();
        var stores = new List<string>();
        while (reader.Read())
        {
            stores.Add(reader.GetString(0));
        }

        return stores;
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
