using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Cluster.Sharing;
using Spiro.Cluster.Tests.Support;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Testing.Tars;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Sharing;

/// <summary>
/// A publish whose connection to PostgreSQL drops during COMMIT (docs/cluster.md): the outcome is
/// read back and reported as it is, published when the cluster recorded it, failed when it did not.
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AmbiguousCommitTests(ClusterServicesFixture services) : IDisposable
{
    private static readonly SaltEnvName SaltEnv = SaltEnvName.TryParse("foo/dev", out _)!;
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-commit-").FullName;

    public void Dispose()
    {
        foreach (var entry in new DirectoryInfo(_directory).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }

        Directory.Delete(_directory, recursive: true);
    }

    [ClusterFact]
    public Task Publish_WhoseConnectionDropsAfterPostgresCommitted_IsReportedPublished_AndServed() => PublishThroughACutAsync(postgresGotTheCommit: true);

    [ClusterFact]
    public Task Publish_WhoseConnectionDropsBeforePostgresGotTheCommit_FailsWithNoLiveChange() => PublishThroughACutAsync(postgresGotTheCommit: false);

    private async Task PublishThroughACutAsync(bool postgresGotTheCommit)
    {
        var database = await services.Postgres.CreateDatabaseAsync();
        await using var proxy = PostgresProxy.Start(services.Postgres.Port);
        using var metadata = PostgresMetadataDatabase.OpenDatabase(proxy.Through(database));
        using var content = new S3ContentStore(new S3ContentOptions
        {
            Endpoint = new Uri(services.Ceph.Endpoint),
            Bucket = "commit-" + Guid.NewGuid().ToString("N")[..16],
            AccessKey = CephGateway.AccessKey,
            SecretKey = CephGateway.SecretKey,
        });
        await content.EnsureBucketAsync(CancellationToken.None);
        var sharing = new ClusterReleases(metadata, content, "master-a");
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = Path.Combine(_directory, "data"), Metadata = metadata, Sharing = sharing }, TimeProvider.System);
        var first = Assert.IsType<PublishResult.Published>(await store.PublishAsync(SaltEnv, TestTar.Stream([new("init.sls", "v: 1\n")]), new PublishContext("ci"), CancellationToken.None));

        proxy.CutAtNextCommit(relayFirst: postgresGotTheCommit);
        PublishResult? result = null;
        Exception? failure = null;
        try
        {
            result = await store.PublishAsync(SaltEnv, TestTar.Stream([new("init.sls", "v: 2\n")]), new PublishContext("ci"), CancellationToken.None);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            failure = e;
        }

        Assert.True(proxy.Cut);
        var pointer = sharing.CurrentPointer(SaltEnv)!;
        if (postgresGotTheCommit)
        {
            var published = Assert.IsType<PublishResult.Published>(result);
            Assert.Equal(published.Release.Id, pointer.ReleaseId);
            Assert.Equal(published.Release.Id, store.LiveRelease(SaltEnv));
            Assert.True(published.Warnings.Any(w => w.Contains("read back, the cluster recorded it", StringComparison.Ordinal)), string.Join("\n", published.Warnings));
        }
        else
        {
            Assert.NotNull(failure);
            Assert.Null(result);
            Assert.Equal(first.Release.Id, pointer.ReleaseId);
            Assert.Equal(first.Release.Id, store.LiveRelease(SaltEnv));
            Assert.Single(Directory.GetDirectories(Path.Combine(_directory, "data", "releases")));
        }
    }
}
