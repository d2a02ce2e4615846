using System.Security.Cryptography;
using System.Text;
using Spiro.Cluster.Objects;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Objects;

/// <summary>The S3 content store against a real radosgw: written once by key, never overwritten, verified on the way back.</summary>
[Collection(ClusterServicesFixture.Collection)]
public sealed class S3ContentStoreTests(ClusterServicesFixture services) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-s3-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<S3ContentStore> NewStoreAsync(string prefix = "objects/")
    {
        var store = new S3ContentStore(new S3ContentOptions
        {
            Endpoint = new Uri(services.Ceph.Endpoint),
            Bucket = "t-" + Guid.NewGuid().ToString("N")[..20],
            AccessKey = CephGateway.AccessKey,
            SecretKey = CephGateway.SecretKey,
            Prefix = prefix,
        });
        await store.EnsureBucketAsync(CancellationToken.None);
        return store;
    }

    private string Source(byte[] content)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [ClusterFact]
    public async Task Put_ThenFetch_ReturnsTheSameBytes()
    {
        using var store = await NewStoreAsync();
        var content = RandomNumberGenerator.GetBytes(3 << 20);
        var sha = Sha(content);

        Assert.False(await store.ContainsAsync(sha, CancellationToken.None));
        Assert.True(await store.PutAsync(sha, Source(content), CancellationToken.None));
        Assert.True(await store.ContainsAsync(sha, CancellationToken.None));

        var fetched = Path.Combine(_directory, "fetched");
        Assert.True(await store.TryFetchAsync(sha, fetched, CancellationToken.None));
        Assert.Equal(content, File.ReadAllBytes(fetched));
    }

    [ClusterFact]
    public async Task Put_OfAnExistingKey_IsRefusedByTheConditionAndTheFirstBytesStay()
    {
        using var store = await NewStoreAsync();
        var content = Encoding.UTF8.GetBytes("first\n");
        var sha = Sha(content);
        Assert.True(await store.PutAsync(sha, Source(content), CancellationToken.None));

        Assert.False(await store.PutAsync(sha, Source(Encoding.UTF8.GetBytes("an impostor\n")), CancellationToken.None));

        var fetched = Path.Combine(_directory, "fetched");
        Assert.True(await store.TryFetchAsync(sha, fetched, CancellationToken.None));
        Assert.Equal(content, File.ReadAllBytes(fetched));
    }

    [ClusterFact]
    public async Task Fetch_OfBytesThatDoNotHashToTheirKey_IsRefusedAndLeavesNoFile()
    {
        using var store = await NewStoreAsync();
        var key = Sha(Encoding.UTF8.GetBytes("what the key promises"));
        // Written through the store's own conditional put with a wrong hash: what a corrupted or
        // tampered bucket looks like to a reader.
        Assert.True(await store.PutAsync(key, Source(Encoding.UTF8.GetBytes("something else")), CancellationToken.None));

        var fetched = Path.Combine(_directory, "fetched");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.TryFetchAsync(key, fetched, CancellationToken.None));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(fetched));
    }

    [ClusterFact]
    public async Task Fetch_OfAMissingObject_ReturnsFalse()
    {
        using var store = await NewStoreAsync();

        Assert.False(await store.TryFetchAsync(Sha([1, 2, 3]), Path.Combine(_directory, "none"), CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(_directory, "none")));
    }

    [ClusterFact]
    public async Task Put_ManyWritersOfOneContent_ExactlyOneWrites()
    {
        using var store = await NewStoreAsync();
        var content = RandomNumberGenerator.GetBytes(64 << 10);
        var sha = Sha(content);
        var sources = Enumerable.Range(0, 6).Select(_ => Source(content)).ToList();

        var wrote = await Task.WhenAll(sources.Select(source => store.PutAsync(sha, source, CancellationToken.None)));

        Assert.Single(wrote, true);
    }
}
